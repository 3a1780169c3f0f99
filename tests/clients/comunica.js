// Comunica (@comunica/query-sparql, from npm) against a psikg endpoint, as a JavaScript
// developer uses it: queries over the endpoint as a SPARQL source, updates to it as a
// destination, the update token sent as a Bearer header by a custom fetch, or as the
// password of Comunica's httpAuth (Basic); an update without it must be refused.
// Usage: node tests/clients/comunica.js URL TOKEN GRAPH-IRI; prints one JSON object.
'use strict';

const { QueryEngine } = require('@comunica/query-sparql');

const [url, token, graph] = process.argv.slice(2);
const endpoint = `${url}/sparql`;

function fetchWithToken(input, init = {}) {
  const headers = new Headers(init.headers);
  headers.set('Authorization', `Bearer ${token}`);
  return fetch(input, { ...init, headers });
}

function contextFor(auth) {
  return {
    sources: [{ type: 'sparql', value: endpoint }],
    destination: { type: 'sparql', value: endpoint },
    ...(auth === 'bearer' ? { fetch: fetchWithToken } : {}),
    ...(auth === 'basic' ? { httpAuth: `psikg:${token}` } : {}),
  };
}

async function main() {
  const engine = new QueryEngine();
  const context = contextFor('bearer');
  const labels = await (await engine.queryBindings(
    'SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label }',
    context)).toArray();
  const ask = await engine.queryBoolean(
    'ASK { <http://example.org/a> <http://example.org/next> <http://example.org/b> }', context);
  const quads = await (await engine.queryQuads(
    'CONSTRUCT WHERE { <http://example.org/a> ?p ?o }', context)).toArray();
  await engine.queryVoid(
    `INSERT DATA { GRAPH <${graph}> { <http://example.org/c1> <http://example.org/p> "from Comunica" } }`,
    context);
  await new QueryEngine().queryVoid(
    `INSERT DATA { GRAPH <${graph}> { <http://example.org/c3> <http://example.org/p> "by Basic" } }`,
    contextFor('basic'));
  const written = await (await engine.queryBindings(
    `SELECT ?o WHERE { GRAPH <${graph}> { ?s ?p ?o } }`, context)).toArray();
  let refused = '';
  try {
    await new QueryEngine().queryVoid(
      `INSERT DATA { GRAPH <${graph}> { <http://example.org/c2> <http://example.org/p> 2 } }`,
      contextFor('none'));
  } catch (error) {
    refused = String(error.message || error);
  }
  await engine.queryVoid(`DROP GRAPH <${graph}>`, context);
  const left = await engine.queryBoolean(`ASK { GRAPH <${graph}> { ?s ?p ?o } }`, context);
  process.stdout.write(JSON.stringify({
    labels: labels.map((b) => b.get('label').value).sort(),
    ask,
    quads: quads.length,
    written: written.map((b) => b.get('o').value).sort(),
    refused,
    left,
  }) + '\n');
}

main().catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(1);
});
