import type { Role } from '../api/types';
import type { AppMenuItem } from './types';

/** Merge the areas' menus (same-key groups join), keep what `role` may see, sort by `order`. */
export function buildMenu(menus: AppMenuItem[][], role: Role): AppMenuItem[] {
  const merged: AppMenuItem[] = [];
  for (const entry of menus.flat()) {
    const existing = merged.find((m) => m.key === entry.key);
    if (existing && existing.children && entry.children) {
      existing.children = [...existing.children, ...entry.children];
    } else if (!existing) {
      merged.push({ ...entry, children: entry.children ? [...entry.children] : undefined });
    }
  }
  return filterAndSort(merged, role);
}

function filterAndSort(items: AppMenuItem[], role: Role): AppMenuItem[] {
  return items
    .filter((item) => !item.roles || item.roles.includes(role))
    .map((item) => (item.children ? { ...item, children: filterAndSort(item.children, role) } : item))
    .filter((item) => !item.children || item.children.length > 0)
    .sort((a, b) => (a.order ?? 100) - (b.order ?? 100));
}

/** Leaves of a menu tree. */
export function menuLeaves(items: AppMenuItem[]): AppMenuItem[] {
  return items.flatMap((item) => (item.children ? menuLeaves(item.children) : item.path ? [item] : []));
}

/** The leaf whose path is the longest prefix of `pathname` ('/' matches only itself). */
export function selectedLeaf(items: AppMenuItem[], pathname: string): AppMenuItem | undefined {
  let best: AppMenuItem | undefined;
  for (const leaf of menuLeaves(items)) {
    const path = leaf.path!;
    const matches = path === '/' ? pathname === '/' : pathname === path || pathname.startsWith(`${path}/`);
    if (matches && (!best || path.length > best.path!.length)) best = leaf;
  }
  return best;
}

/** Keys of the groups that contain the leaf `key`. */
export function parentKeys(items: AppMenuItem[], key: string, trail: string[] = []): string[] | undefined {
  for (const item of items) {
    if (item.key === key) return trail;
    if (item.children) {
      const found = parentKeys(item.children, key, [...trail, item.key]);
      if (found) return found;
    }
  }
  return undefined;
}
