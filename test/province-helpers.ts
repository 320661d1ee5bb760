/**
 * The 省前置库 of an exchange test: a second database (on PostgreSQL a real database beside the test's own,
 * on PGlite a second embedded one), opened per test and closed — and dropped — after the file.
 */
import pg from 'pg';
import { openProvince, type ProvinceLink } from '../src/modules/exchange/province';

export function provinceDatabases(prefix: string) {
  const provinces: ProvinceLink[] = [];
  const dropDatabases: string[] = [];

  async function secondDatabase(kind: string): Promise<ProvinceLink> {
    const url = process.env.DATABASE_URL;
    let link: ProvinceLink;
    if (kind === 'postgres' && url) {
      const name = `${prefix}_${process.pid}_${provinces.length}`;
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${name}`);
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      dropDatabases.push(name);
      const u = new URL(url);
      u.pathname = `/${name}`;
      link = await openProvince({ url: u.toString() });
    } else {
      link = await openProvince({});
    }
    provinces.push(link);
    return link;
  }

  async function closeAll() {
    for (const p of provinces) await p.close();
    const url = process.env.DATABASE_URL;
    if (url && dropDatabases.length) {
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      for (const name of dropDatabases) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  }

  /** A province the test opened itself (e.g. one that is down), closed with the others. */
  function track(link: ProvinceLink): ProvinceLink {
    provinces.push(link);
    return link;
  }

  return { secondDatabase, track, closeAll };
}
