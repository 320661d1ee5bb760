/**
 * Materials (task 58: 一套申报材料, submitted once and reused): uploads into the content-addressed store,
 * downloads within scope, and the functions the approvals service calls inside its own transaction to
 * check files and remember them on the project.
 */
import type { Readable } from 'node:stream';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { DomainError, notFound } from '../../shared/errors';
import { recordEvent } from '../audit/audit.service';
import type { Actor } from '../identity/identity.rules';
import type { FileStore, StagedFile } from './file-store';
import * as repo from './material.repository';
import { pdfActiveContent } from './material.pdf';
import { classifyUpload } from './material.rules';
import { readUploadFacts } from './material.sniff';
import { requireConsent } from '../agency/agency.service';

export interface MaterialFileView {
  id: string;
  sha256: string;
  sizeBytes: number;
  mediaType: string;
  originalName: string;
  materialCode: string;
  enterpriseId: string | null;
}

type FileRow = NonNullable<Awaited<ReturnType<typeof repo.findFile>>>;

function view(row: FileRow): MaterialFileView {
  return {
    id: row.id,
    sha256: row.sha256,
    sizeBytes: Number(row.sizeBytes),
    mediaType: row.mediaType,
    originalName: row.originalName,
    materialCode: row.materialCode,
    enterpriseId: row.enterpriseId,
  };
}

export interface UploadInput {
  materialCode: string;
  /** Required for agent and window (whose enterprise the material is); an applicant's is its own. */
  enterpriseId?: string;
  filename: string;
  staged: StagedFile;
  /** Bytes the enterprise may store in all (STORAGE_QUOTA_BYTES). */
  quotaBytes: number;
}

function ownerEnterprise(actor: Actor, requested: string | undefined): string {
  // An intermediary (issue 13) uploads its reports as its own organisation's files, like an applicant.
  if (actor.role === 'applicant' || actor.role === 'intermediary') {
    if (requested && requested !== actor.enterpriseId) {
      throw new DomainError(
        'FORBIDDEN_SCOPE',
        '只能为本企业上传材料 (applicants upload for their own enterprise only)',
        {
          field: 'body.enterpriseId',
        },
      );
    }
    return actor.enterpriseId!;
  }
  if (!requested) {
    throw new DomainError(
      'VALIDATION_FAILED',
      '代办或窗口上传须指明企业 enterpriseId (enterpriseId required for agent/window)',
      {
        field: 'body.enterpriseId',
      },
    );
  }
  return requested;
}

/** Stores a staged upload after checking it; on any refusal the staged bytes are removed. */
export async function uploadMaterial(
  db: Kysely<DB>,
  actor: Actor,
  now: Date,
  input: UploadInput,
): Promise<MaterialFileView> {
  const { staged } = input;
  try {
    const enterpriseId = ownerEnterprise(actor, input.enterpriseId);
    if (staged.size === 0) {
      throw new DomainError('VALIDATION_FAILED', '上传的文件为空 (the file is empty)', {
        field: 'body.file',
      });
    }
    const verdict = classifyUpload(await readUploadFacts(staged.tempPath, input.filename));
    if (!verdict.ok) throw new DomainError('UNSUPPORTED_MEDIA_TYPE', verdict.reason, { field: 'body.file' });
    if (verdict.kind === 'pdf') {
      const active = await pdfActiveContent(staged.tempPath);
      if (active.length > 0) {
        throw new DomainError(
          'UNSUPPORTED_MEDIA_TYPE',
          `PDF 含有可执行动作 ${active.map((n) => `/${n}`).join('、')}，不予接收，请导出为不含脚本的 PDF (PDF with active content is refused)`,
          { field: 'body.file', details: { pdfActions: active } },
        );
      }
    }
    return await db.transaction().execute(async (trx) => {
      if (!(await repo.enterpriseExists(trx, enterpriseId))) throw notFound('企业 enterprise', enterpriseId);
      // 帮办代办 uploads for an application it may make: the enterprise's consent to apply for its stages.
      await requireConsent(trx, actor, enterpriseId, 'apply_stage', now);
      await repo.lockEnterpriseStorage(trx, enterpriseId);
      const usage = await repo.enterpriseUsage(trx, enterpriseId, staged.sha256);
      const adds = usage.hasBlob ? 0 : staged.size;
      if (usage.bytes + adds > input.quotaBytes) {
        throw new DomainError(
          'QUOTA_EXCEEDED',
          `企业存储空间不足：已用 ${usage.bytes} 字节，本文件 ${staged.size} 字节，上限 ${input.quotaBytes} 字节 (storage quota exceeded: ${usage.bytes} used + ${staged.size} > ${input.quotaBytes} bytes)`,
          {
            field: 'body.file',
            details: { usedBytes: usage.bytes, fileBytes: staged.size, quotaBytes: input.quotaBytes },
          },
        );
      }
      const row = await repo.insertFile(trx, {
        sha256: staged.sha256,
        sizeBytes: staged.size,
        mediaType: verdict.mediaType,
        originalName: input.filename,
        materialCode: input.materialCode,
        enterpriseId,
        uploadedBy: actor.userId,
        uploadedAt: now,
      });
      await recordEvent(trx, actor, now, {
        action: 'material.uploaded',
        objectType: 'material_file',
        objectId: row.id,
        detail: {
          sha256: staged.sha256,
          sizeBytes: staged.size,
          materialCode: input.materialCode,
          enterpriseId,
        },
      });
      // Last step inside the transaction: if the move fails, the row is rolled back with it. The blob
      // lock keeps the unattached-file sweep from removing these bytes before this row is committed.
      await repo.lockBlob(trx, staged.sha256);
      await staged.commit();
      return view(row);
    });
  } finally {
    await staged.discard();
  }
}

/** The file's metadata and bytes, for the owner enterprise, agent/window/supervisor/admin, or a
 *  department with a task on an application that uses it. */
export async function openMaterialFile(
  db: Kysely<DB>,
  store: FileStore,
  actor: Actor,
  id: string,
): Promise<{ file: MaterialFileView; stream: Readable }> {
  const row = await repo.findFile(db, id);
  if (!row) throw notFound('材料文件 material file', id);
  const allowed =
    ['agent', 'window', 'supervisor', 'admin'].includes(actor.role) ||
    ((actor.role === 'applicant' || actor.role === 'intermediary') &&
      actor.enterpriseId === row.enterpriseId) ||
    (actor.departmentCode !== null &&
      ['reviewer', 'senior', 'coordinator'].includes(actor.role) &&
      (await repo.fileUsedByDepartment(db, id, actor.departmentCode)));
  if (!allowed)
    throw new DomainError('FORBIDDEN_SCOPE', '无权查看该材料 (not your enterprise or department)');
  if (!(await store.exists(row.sha256))) throw notFound('材料文件内容 file content', id);
  return { file: view(row), stream: store.open(row.sha256) };
}

// ---------------------------------------------------------------------------------------------
// For the approvals service, inside its transaction.

/**
 * The files of a submission, checked: every id exists and belongs to `enterpriseId` (the project's
 * enterprise). Throws NOT_FOUND / FORBIDDEN_SCOPE naming the field; returns them by id.
 */
export async function findFiles(
  trx: Transaction<DB>,
  fileIds: readonly string[],
  enterpriseId: string,
): Promise<Map<string, MaterialFileView>> {
  const unique = [...new Set(fileIds)];
  const rows = new Map((await repo.findFiles(trx, unique)).map((r) => [r.id, view(r)]));
  for (const id of unique) {
    const file = rows.get(id);
    if (!file) {
      throw new DomainError('NOT_FOUND', `材料文件 ${id} 不存在 (file not found)`, {
        field: 'body.materials',
      });
    }
    if (file.enterpriseId !== enterpriseId) {
      throw new DomainError(
        'FORBIDDEN_SCOPE',
        `材料文件 ${id} 不属于本项目的建设单位 (file belongs to another enterprise)`,
        {
          field: 'body.materials',
        },
      );
    }
  }
  return rows;
}

/**
 * A file handed over to the project's enterprise (an intermediary's report the owner accepted, issue 13):
 * a new file row of the same stored bytes under `enterpriseId` and `materialCode`, remembered on the
 * project so every later stage reuses it (task 58). Returns the new file's id.
 */
export async function adoptFile(
  trx: Transaction<DB>,
  actor: Actor,
  now: Date,
  input: { fileId: string; enterpriseId: string; materialCode: string; projectId: string },
): Promise<string> {
  const source = await repo.findFile(trx, input.fileId);
  if (!source) throw notFound('材料文件 material file', input.fileId);
  const row = await repo.insertFile(trx, {
    sha256: source.sha256,
    sizeBytes: source.sizeBytes,
    mediaType: source.mediaType,
    originalName: source.originalName,
    materialCode: input.materialCode,
    enterpriseId: input.enterpriseId,
    uploadedBy: actor.userId,
    uploadedAt: now,
  });
  await repo.upsertProjectMaterials(
    trx,
    input.projectId,
    [{ materialCode: input.materialCode, fileId: row.id }],
    now,
  );
  await recordEvent(trx, actor, now, {
    action: 'material.adopted',
    objectType: 'material_file',
    objectId: row.id,
    detail: { fromFileId: source.id, materialCode: input.materialCode, projectId: input.projectId },
  });
  return row.id;
}

/** Remembers the project's materials (task 58: never asked twice); a newer file replaces the older. */
export function recordProjectMaterials(
  trx: Transaction<DB>,
  projectId: string,
  materials: readonly { materialCode: string; fileId: string }[],
  now: Date,
) {
  return repo.upsertProjectMaterials(trx, projectId, materials, now);
}

/** The materials the project has on file (uploaded once, reused by every later stage: task 58). */
export function projectMaterialsOnFile(db: Kysely<DB> | Transaction<DB>, projectId: string) {
  return repo.listProjectMaterials(db, projectId);
}

/** For other modules: the materials a project has on file. */
export const listProjectMaterials = repo.listProjectMaterials;

// ---------------------------------------------------------------------------------------------
// The unattached-file sweep (daily job, src/jobs/workers.ts).

export interface SweepResult {
  removedFiles: number;
  removedBlobs: number;
}

/**
 * Removes files uploaded more than `days` days before `now` that no application, 容缺 supply,
 * project or 模拟审批 evidence refers to: the row, and the stored bytes unless another row still uses
 * the same content. Bytes no row refers to at all (an upload whose transaction failed after the move)
 * are removed too once older than the same limit. Each blob is decided under its lock, so an upload
 * reusing the bytes at that moment keeps them.
 */
export async function removeUnattachedFiles(
  db: Kysely<DB>,
  store: FileStore,
  now: Date,
  days: number,
): Promise<SweepResult> {
  const before = new Date(now.getTime() - days * 86_400_000);
  let removedFiles = 0;
  let removedBlobs = 0;
  const touched = new Set<string>();
  for (;;) {
    const batch = await repo.findUnattachedFiles(db, before, 500);
    if (batch.length === 0) break;
    const deleted = await db.transaction().execute(async (trx) => {
      const rows = await repo.deleteUnattachedFiles(
        trx,
        batch.map((f) => f.id),
      );
      if (rows.length > 0) {
        await recordEvent(trx, null, now, {
          action: 'material.unattached_removed',
          objectType: 'material_file',
          objectId: rows[0]!.id,
          reason: `超过 ${days} 天未用于任何申报 (unattached for more than ${days} days)`,
          detail: { fileIds: rows.map((r) => r.id), count: rows.length },
        });
      }
      return rows;
    });
    removedFiles += deleted.length;
    for (const r of deleted) touched.add(r.sha256);
    if (batch.length < 500 || deleted.length === 0) break;
  }
  const removeIfUnused = async (sha256: string) =>
    db.transaction().execute(async (trx) => {
      await repo.lockBlob(trx, sha256);
      if (await repo.blobReferenced(trx, sha256)) return false;
      await store.remove(sha256);
      return true;
    });
  for (const sha256 of touched) if (await removeIfUnused(sha256)) removedBlobs++;
  for await (const blob of store.list()) {
    if (touched.has(blob.sha256) || blob.modifiedAt >= before) continue;
    if (await removeIfUnused(blob.sha256)) removedBlobs++;
  }
  return { removedFiles, removedBlobs };
}
