/** The few calls of the `shapefile` package (no bundled types) used by layer.import.ts. */
declare module 'shapefile' {
  interface Source {
    read(): Promise<{ done: boolean; value: unknown }>;
  }
  export function open(
    shp: Uint8Array | ArrayBuffer | string,
    dbf?: Uint8Array | ArrayBuffer | string,
    options?: { encoding?: string },
  ): Promise<Source>;
}
