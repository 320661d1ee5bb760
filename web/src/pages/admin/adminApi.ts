/** Issue 15: the administration API's shapes and query hooks (users, departments, enterprises, districts). */
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { Role } from '../../api/types';

export interface AdminUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  departmentCode: string | null;
  departmentName: string | null;
  districtCode: string | null;
  enterpriseId: string | null;
  enterpriseName: string | null;
  disabled: boolean;
  mfaRequired: boolean;
  totpEnabled: boolean;
  locked: boolean;
  /** Set by an administrator (create, reset): must be changed at the next login. */
  passwordTemporary: boolean;
  createdAt: string;
}

export interface AdminDepartment {
  code: string;
  name: string;
  kind: 'government' | 'utility' | 'review_body';
  leadsStages: number[];
  districtCode: string | null;
  parentCode: string | null;
  active: boolean;
  users: number;
}

export interface AdminEnterprise {
  id: string;
  name: string;
  creditCode: string;
  legalPerson: string | null;
  contactPhone: string | null;
  status: 'pending' | 'confirmed' | 'rejected';
  createdAt: string;
  reviewedAt: string | null;
  reviewNote: string | null;
}

export interface District {
  code: string;
  name: string;
  kind: 'county' | 'functional_zone';
  active: boolean;
  sortOrder: number;
  /** 一张蓝图 has this division's boundary (district_boundary layer). */
  boundaryLoaded: boolean;
  updatedAt: string;
}

export const adminKeys = {
  users: ['admin', 'users'] as const,
  departments: ['admin', 'departments'] as const,
  enterprises: ['admin', 'enterprises'] as const,
  districts: ['districts', 'all'] as const,
  jurisdiction: ['jurisdiction', 'items'] as const,
};

export function useAdminDepartments() {
  return useQuery({
    queryKey: adminKeys.departments,
    queryFn: ({ signal }) =>
      api.get<{ departments: AdminDepartment[] }>('/api/admin/departments', undefined, signal),
    select: (d) => d.departments,
  });
}

export function useDistricts() {
  return useQuery({
    queryKey: adminKeys.districts,
    queryFn: ({ signal }) =>
      api.get<{ districts: District[] }>('/api/districts', { includeInactive: true }, signal),
    select: (d) => d.districts,
    staleTime: 5 * 60_000,
  });
}

/** code → name of a district ('市级' for none). */
export function useDistrictName(): (code: string | null | undefined, cityLabel: string) => string {
  const { data } = useDistricts();
  return (code, cityLabel) => (code ? (data?.find((d) => d.code === code)?.name ?? code) : cityLabel);
}
