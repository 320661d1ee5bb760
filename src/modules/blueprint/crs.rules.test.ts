import proj4 from 'proj4';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../shared/errors';
import { parseLayerGeoJson } from './blueprint.rules';
import { crsFromEpsg, crsFromGeoJsonMember, crsFromPrj, toCgcs2000 } from './crs.rules';

/**
 * The known point: 郑州 (113.625°E, 34.7466°N) in CGCS2000 3° Gauss-Krüger CM 114E (EPSG:4547), as
 * PostGIS/PROJ (ST_Transform) gives it: E 465661.650, N 3846545.194 (zone 38 with prefix: 38465661.650).
 */
const ZZ = { lon: 113.625, lat: 34.7466, e: 465661.650469589, n: 3846545.1939829546 };
/** Metres between two [lon, lat] positions near the point (local flat approximation, ample at 0.1 m). */
function metres(a: number[], b: number[]) {
  const dx = (a[0]! - b[0]!) * 111320 * Math.cos((ZZ.lat * Math.PI) / 180);
  const dy = (a[1]! - b[1]!) * 110950;
  return Math.hypot(dx, dy);
}

const ESRI_4547 =
  'PROJCS["CGCS2000_3_Degree_GK_CM_114E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",114.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]';
const ESRI_ZONE_38 = ESRI_4547.replace('CM_114E', 'Zone_38').replace('500000.0', '38500000.0');
const EPSG_4547_OGC =
  'PROJCS["CGCS2000 / 3-degree Gauss-Kruger CM 114E",GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",114],PARAMETER["scale_factor",1],PARAMETER["false_easting",500000],PARAMETER["false_northing",0],UNIT["metre",1],AUTHORITY["EPSG","4547"]]';
const XIAN_80 =
  'PROJCS["Xian_1980_3_Degree_GK_CM_114E",GEOGCS["GCS_Xian_1980",DATUM["D_Xian_1980",SPHEROID["Xian_1980",6378140.0,298.257]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",114.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]';

describe('coordinate systems of the city files', () => {
  it('reprojects the known point from EPSG:4547 to CGCS2000 degrees within 0.1 m', () => {
    const t = toCgcs2000(crsFromEpsg(4547)!)!;
    expect(metres(t([ZZ.e, ZZ.n]), [ZZ.lon, ZZ.lat])).toBeLessThan(0.1);
    // And forwards with the same definition, in metres directly.
    const [e, n] = proj4(crsFromEpsg(4547)!.proj!, [ZZ.lon, ZZ.lat]);
    expect(Math.abs(e! - ZZ.e)).toBeLessThan(0.1);
    expect(Math.abs(n! - ZZ.n)).toBeLessThan(0.1);
  });

  it('reads ESRI and OGC .prj files of the 3° zone, with and without the zone number', () => {
    for (const prj of [ESRI_4547, EPSG_4547_OGC]) expect(crsFromPrj(prj).srid).toBe(4547);
    const zone = crsFromPrj(ESRI_ZONE_38);
    expect(zone.srid).toBe(4526);
    expect(metres(toCgcs2000(zone)!([38e6 + ZZ.e, ZZ.n]), [ZZ.lon, ZZ.lat])).toBeLessThan(0.1);
    // EPSG:4546 is the zone of 111°E (CM 111), one zone west of Zhengzhou's.
    expect(crsFromPrj(ESRI_4547.replace(/114/g, '111')).srid).toBe(4546);
  });

  it('reads geographic .prj files and Web Mercator', () => {
    expect(
      crsFromPrj(
        'GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]',
      ).srid,
    ).toBe(4490);
    expect(
      crsFromPrj(
        'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]',
      ).srid,
    ).toBe(4326);
    const merc = crsFromPrj(
      'PROJCS["WGS_1984_Web_Mercator_Auxiliary_Sphere",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Mercator_Auxiliary_Sphere"],PARAMETER["False_Easting",0.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",0.0],PARAMETER["Standard_Parallel_1",0.0],PARAMETER["Auxiliary_Sphere_Type",0.0],UNIT["Meter",1.0]]',
    );
    expect(merc.srid).toBe(3857);
    // ST_Transform(3857 → 4490) of this point gives 113.63688793269588, 34.52858060396471.
    expect(
      metres(toCgcs2000(merc)!([12650000.5, 4100000.25]), [113.63688793269588, 34.52858060396471]),
    ).toBeLessThan(0.1);
  });

  it('refuses an unknown projection with a message naming it and the accepted systems', () => {
    const err = (() => {
      try {
        crsFromPrj(XIAN_80);
      } catch (e) {
        return e as DomainError;
      }
    })();
    expect(err).toBeInstanceOf(DomainError);
    expect(err!.code).toBe('VALIDATION_FAILED');
    expect(err!.message).toContain('Xian_1980_3_Degree_GK_CM_114E');
    expect(err!.message).toContain('EPSG:4490');
    expect(() => crsFromPrj('not wkt at all [')).toThrow(/WKT/);
    expect(() => crsFromEpsg(2383)).not.toThrow();
    expect(crsFromEpsg(2383)).toBeNull();
    expect(() => crsFromGeoJsonMember({ type: 'name', properties: { name: 'EPSG:2383' } })).toThrow(
      /EPSG:2383/,
    );
  });

  it('reads a GeoJSON crs member and reprojects the features of an upload', () => {
    expect(
      crsFromGeoJsonMember({ type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4547' } }).srid,
    ).toBe(4547);
    expect(
      crsFromGeoJsonMember({ type: 'name', properties: { name: 'urn:ogc:def:crs:OGC:1.3:CRS84' } }).srid,
    ).toBe(4326);
    const d = 100;
    const ring = [
      [ZZ.e, ZZ.n],
      [ZZ.e + d, ZZ.n],
      [ZZ.e + d, ZZ.n + d],
      [ZZ.e, ZZ.n + d],
      [ZZ.e, ZZ.n],
    ];
    const [f] = parseLayerGeoJson(
      {
        type: 'FeatureCollection',
        crs: { type: 'name', properties: { name: 'EPSG:4547' } },
        features: [{ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [ring] } }],
      },
      'ecological_redline',
    );
    const first = (JSON.parse(f!.geometry) as { coordinates: number[][][] }).coordinates[0]![0]!;
    expect(metres(first, [ZZ.lon, ZZ.lat])).toBeLessThan(0.1);
  });

  it('hints at a missing crs when metres arrive as degrees', () => {
    expect(() =>
      parseLayerGeoJson(
        {
          type: 'Polygon',
          coordinates: [
            [
              [ZZ.e, ZZ.n],
              [ZZ.e + 1, ZZ.n],
              [ZZ.e + 1, ZZ.n + 1],
              [ZZ.e, ZZ.n],
            ],
          ],
        },
        'ecological_redline',
      ),
    ).toThrow(/投影坐标/);
  });
});
