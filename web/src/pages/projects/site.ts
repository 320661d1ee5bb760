/** The site input of the registration form: a square around a centre, or pasted GeoJSON. */

export interface Polygon {
  type: 'Polygon';
  coordinates: number[][][];
}

/** A square of `side` metres centred on lon/lat (WGS84 degrees; fine for a few hundred metres). */
export function squareSite(lon: number, lat: number, side: number): Polygon {
  const half = side / 2;
  const dLat = half / 111_320;
  const dLon = half / (111_320 * Math.cos((lat * Math.PI) / 180));
  const r = (n: number) => Math.round(n * 1e7) / 1e7;
  return {
    type: 'Polygon',
    coordinates: [
      [
        [r(lon - dLon), r(lat - dLat)],
        [r(lon + dLon), r(lat - dLat)],
        [r(lon + dLon), r(lat + dLat)],
        [r(lon - dLon), r(lat + dLat)],
        [r(lon - dLon), r(lat - dLat)],
      ],
    ],
  };
}

/** Parses pasted GeoJSON (a geometry or a Feature); null when it is not a Polygon/MultiPolygon. */
export function parseSite(text: string): { type: string; coordinates: unknown } | null {
  try {
    const value = JSON.parse(text) as { type?: string; geometry?: unknown; coordinates?: unknown };
    const geometry = (value.type === 'Feature' ? value.geometry : value) as {
      type?: string;
      coordinates?: unknown;
    };
    if (geometry?.type === 'Polygon' || geometry?.type === 'MultiPolygon') {
      return { type: geometry.type, coordinates: geometry.coordinates };
    }
    return null;
  } catch {
    return null;
  }
}
