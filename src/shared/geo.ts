/** A square GeoJSON polygon of `sideDeg` degrees with its south-west corner at (lon, lat). */
export function squareSite(lon: number, lat: number, sideDeg = 0.001) {
  return {
    type: 'Polygon' as const,
    coordinates: [
      [
        [lon, lat],
        [lon + sideDeg, lat],
        [lon + sideDeg, lat + sideDeg],
        [lon, lat + sideDeg],
        [lon, lat],
      ],
    ],
  };
}
