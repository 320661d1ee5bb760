/**
 * The public pages (no login, task 63): the lists with their basis, standards, time limits and fees; the
 * listed intermediaries with their services, fees, commitments and ratings; and the intermediaries on the
 * credit black list, with the listing's reason and dates.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { beijingDate } from '../calendar/calendar.rules';
import { organisationStanding } from '../credit/credit.service';
import type { MarketDeps } from './marketplace.access';
import * as repo from './marketplace.repository';
import { ratingSummary } from './marketplace.rules';
import { listServices } from './service-list.service';

export async function publicMarketplace(db: Kysely<DB>, deps: MarketDeps) {
  const now = deps.clock.now();
  const today = beijingDate(now);
  const [services, intermediaries] = await Promise.all([
    listServices(db, { activeOnly: true }),
    repo.listIntermediaries(db, ['listed', 'suspended']),
  ]);
  const ids = intermediaries.map((i) => i.id);
  const [offers, quals, ratings] = await Promise.all([
    repo.offersOf(db, ids),
    repo.qualificationsOf(db, ids),
    repo.ratingsOf(db, ids),
  ]);
  const serviceNames = new Map(services.map((s) => [s.code, s.name]));
  const listed = [];
  const blackList = [];
  for (const i of intermediaries) {
    const standing = await organisationStanding(db, 'intermediary', i.creditCode, today);
    if (standing.black) {
      blackList.push({
        intermediaryId: i.id,
        name: i.name,
        creditCode: i.creditCode,
        listedOn: standing.black.listedOn,
        expiresOn: standing.black.expiresOn,
        reason: standing.black.reason,
      });
    }
    if (i.status !== 'listed') continue;
    listed.push({
      id: i.id,
      name: i.name,
      creditCode: i.creditCode,
      contactPhone: i.contactPhone,
      address: i.address,
      creditGrade: standing.grade.grade,
      blackListed: !!standing.black,
      qualifications: quals
        .filter((q) => q.intermediaryId === i.id)
        .map((q) => ({
          name: q.name,
          grade: q.grade,
          certificateNo: q.certificateNo,
          expiresOn: q.expiresOn,
        })),
      services: offers
        .filter((o) => o.intermediaryId === i.id && o.status === 'listed')
        .map((o) => ({
          serviceCode: o.serviceCode,
          serviceName: serviceNames.get(o.serviceCode) ?? o.serviceCode,
          feeYuan: o.feeYuan,
          committedDays: o.committedDays,
          commitment: o.commitment,
        })),
      rating: ratingSummary(ratings.filter((r) => r.intermediaryId === i.id).map((r) => r.satisfactionCode!)),
    });
  }
  return { services, intermediaries: listed, blackList };
}
