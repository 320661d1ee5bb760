import { z } from 'zod';
import { MATERIAL_CODE_PATTERN } from './material.rules';

/** The text fields of the multipart upload (the file itself is the part named `file`). */
export const UploadFieldsSchema = z.object({
  materialCode: z
    .string()
    .regex(MATERIAL_CODE_PATTERN, '材料代码格式为 M_ 加大写字母/数字/下划线 (material code like M_SITE_PLAN)')
    .describe('材料代码，取自事项清单 (material code from the catalog)'),
  enterpriseId: z.uuid().optional().describe('代办/窗口上传时所属企业 (required for agent and window)'),
});

export const MaterialFileSchema = z.object({
  id: z.uuid(),
  sha256: z.string().describe('文件内容 SHA-256 (hex)'),
  sizeBytes: z.number().int(),
  mediaType: z.string().describe('按内容识别的类型 (sniffed media type)'),
  originalName: z.string(),
  materialCode: z.string(),
});

export const MaterialIdParams = z.object({ id: z.uuid().describe('材料文件 id') });
