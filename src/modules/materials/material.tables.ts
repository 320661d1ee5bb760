import type { Generated } from 'kysely';

export interface MaterialFileTable {
  id: Generated<string>;
  sha256: string;
  sizeBytes: number;
  mediaType: string;
  originalName: string;
  materialCode: string;
  enterpriseId: string | null;
  uploadedBy: string;
  uploadedAt: Date;
}

export interface ProjectMaterialTable {
  projectId: string;
  materialCode: string;
  fileId: string;
  submittedAt: Date;
}

export interface MaterialTables {
  materialFile: MaterialFileTable;
  projectMaterial: ProjectMaterialTable;
}
