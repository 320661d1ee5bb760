/**
 * A route that answers a file (PDF, SVG, CSV, Excel, GeoJSON, a material upload) declares it as binary content of
 * its media types, so the OpenAPI document, and the web client's types generated from it, say what comes back.
 * Fastify sends a Buffer, a stream or a non-JSON string as it is; the schema only describes the bytes.
 */
import { z } from 'zod';

export function fileResponse(description: string, ...mediaTypes: [string, ...string[]]) {
  // z.any() lets the handler send a Buffer or a stream; the meta is what the document shows.
  const schema = z.any().meta({ type: 'string', format: 'binary' });
  return {
    description,
    content: Object.fromEntries(mediaTypes.map((type) => [type, { schema }])),
  };
}
