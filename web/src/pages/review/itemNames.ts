import { useCatalogItems } from '../../api/hooks';

/** item code → name from the catalog (the inbox lists codes only). */
export function useItemNames(): (code: string) => string {
  const { data } = useCatalogItems({ status: 'all' });
  return (code) => data?.find((i) => i.code === code)?.name ?? code;
}
