import { PGlite } from '@electric-sql/pglite'
import { postgis } from '@electric-sql/pglite-postgis'
let t=Date.now()
const pg = await PGlite.create({ extensions: { postgis } })
console.log('create', Date.now()-t); t=Date.now()
await pg.exec('CREATE EXTENSION IF NOT EXISTS postgis;')
console.log('ext', Date.now()-t); t=Date.now()
console.log((await pg.query('select postgis_lib_version() v, version()')).rows)
const r = await pg.query("select ST_Area(ST_GeomFromText('POLYGON((113.6 34.7,113.61 34.7,113.61 34.71,113.6 34.71,113.6 34.7))',4490)::geography) a")
console.log(r.rows, Date.now()-t)
const c = await pg.clone?.(); console.log('clone?', !!c, Date.now()-t)
if (c) { console.log((await c.query('select count(*) from spatial_ref_sys')).rows) ; console.log('clone', Date.now()-t)}
console.log('rss', process.memoryUsage().rss/1e6)
