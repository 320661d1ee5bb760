/**
 * Approval results that are permits become electronic certificates (电子证照), issued inside the
 * decision's transaction so a decision and its certificate exist together or not at all.
 */
import type { Selectable, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { beijingDate } from '../calendar/calendar.rules';
import type { Item } from '../catalog/catalog.schemas';
import { nationalValues } from '../certificates/certificate-form.rules';
import { issueCertificate } from '../certificates/certificate.service';
import * as appRepo from './application.repository';
import * as taskRepo from './task.repository';
import type { ItemTaskTable, ReplyDocument } from './approval.tables';

export async function issueResultCertificate(
  trx: Transaction<DB>,
  task: Selectable<ItemTaskTable>,
  item: Item,
  project: {
    id: string;
    code: string;
    name: string;
    districtCode: string;
    siteAreaM2: number;
    enterpriseName: string;
    creditCode: string;
  },
  now: Date,
) {
  if (!item.certificateType) return null;
  const document = task.document as ReplyDocument | null;
  // The national form's fields as the stage form collected them (after any 补正), printed and signed.
  const application = await appRepo.findApplication(trx, task.applicationId);
  const form = (application?.form ?? {}) as Record<string, unknown>;
  return issueCertificate(trx, {
    taskId: task.id,
    projectId: project.id,
    itemCode: item.code,
    certificateType: item.certificateType,
    title: item.resultDocumentType,
    holderName: project.enterpriseName,
    holderCode: project.creditCode,
    issuerDepartmentCode: task.departmentCode,
    issuerDepartmentName: await taskRepo.findDepartmentName(trx, task.departmentCode),
    document: document ?? {
      number: `${project.code}-${item.code}`,
      title: item.resultDocumentType,
      date: beijingDate(now),
      validUntil: '9999-01-01',
    },
    content: {
      projectCode: project.code,
      projectName: project.name,
      districtCode: project.districtCode,
      siteAreaM2: Math.round(project.siteAreaM2 * 100) / 100,
      itemName: item.name,
      ...nationalValues(item.certificateType, form),
    },
    simulated: task.simulated,
    now,
  });
}
