'use strict';
// Acceptance test of Huying's Open311 GeoReport v2 interface with Code for
// America's npm client open311@0.0.12 (JSON only: its XML dependencies are
// stubbed, see package.json). It needs a running Huying:
//
//   HUYING_URL    base URL of `huying serve`, such as http://127.0.0.1:8080
//   HUYING_TOKEN  an API token (the channel registry's api_key)
//
// run.sh starts a demo server on a free port and sets both; the Go test
// TestNodeClient does the same with an in-process server.

const { test, before } = require('node:test');
const assert = require('node:assert/strict');
const Open311 = require('open311');

const base = (process.env.HUYING_URL || '').replace(/\/+$/, '');
const apiKey = process.env.HUYING_TOKEN || '';
const jurisdiction = process.env.HUYING_JURISDICTION || 'szpsq.gov.cn';

if (!base || !apiKey) {
  throw new Error('set HUYING_URL and HUYING_TOKEN (run.sh does)');
}

// The client is callback-based, with (err, data) callbacks.
function call(client, method, ...args) {
  return new Promise((resolve, reject) => {
    client[method](...args, (err, data) => (err ? reject(Object.assign(new Error(String(data)), { code: err })) : resolve(data)));
  });
}

let client; // configured from discovery
let services;
let filed = []; // service_request_ids this test filed
let metadataService; // a realtime service with required attributes
let definition;

// A value the definition accepts for each datatype.
function answerFor(attr) {
  switch (attr.datatype) {
    case 'string': return 'PS-HP-0123';
    case 'number': return '65';
    case 'datetime': return new Date().toISOString();
    case 'text': return '第一行\n第二行';
    case 'singlevaluelist': return attr.values[0].key;
    case 'multivaluelist': return attr.values.slice(0, 2).map((v) => v.key);
    default: throw new Error('unknown datatype ' + attr.datatype);
  }
}

function requestFor(service, def, overrides = {}) {
  const attributes = {};
  for (const a of (def ? def.attributes : [])) {
    if (a.variable) attributes[a.code] = answerFor(a);
  }
  return {
    service_code: service.service_code,
    lat: 22.708912,
    long: 114.346712,
    address_string: '坪山区坪山街道六和社区和平路12号',
    description: 'Open311 客户端测试：' + service.service_name,
    first_name: '三',
    last_name: '张',
    phone: '13800138000',
    attributes,
    ...overrides,
  };
}

before(async () => {
  const discovery = new Open311({ discovery: base + '/georeport/v2/discovery.json' });
  const d = await call(discovery, 'serviceDiscovery', { cache: true });
  assert.equal(typeof d.changeset, 'string');
  assert.ok(!Number.isNaN(new Date(d.changeset).getTime()), 'changeset is a date');
  assert.ok(discovery.endpoint.startsWith(base + '/georeport/v2'), 'endpoint ' + discovery.endpoint);
  client = new Open311({ endpoint: discovery.endpoint, format: 'json', apiKey, jurisdiction });
});

test('discovery names a production GeoReport v2 endpoint with JSON', async () => {
  const d = await call(new Open311({ discovery: base + '/georeport/v2/discovery.json' }), 'serviceDiscovery');
  const ep = d.endpoints.find((e) => e.specification === 'http://wiki.open311.org/GeoReport_v2' && e.type === 'production');
  assert.ok(ep, 'endpoint found');
  assert.ok(ep.formats.includes('application/json'));
  assert.ok(ep.formats.includes('text/xml'));
});

test('service list is non-empty with string fields', async () => {
  services = await call(client, 'serviceList');
  assert.ok(Array.isArray(services) && services.length > 0);
  for (const s of services) {
    assert.equal(typeof s.service_code, 'string');
    assert.equal(typeof s.service_name, 'string');
    assert.equal(typeof s.metadata, 'boolean');
    assert.ok(['realtime', 'batch', 'blackbox'].includes(s.type));
    assert.ok(s.keywords === null || typeof s.keywords === 'string');
  }
});

test('service definition of a metadata service', async () => {
  for (const s of services.filter((x) => x.metadata && x.type === 'realtime')) {
    const def = await call(client, 'serviceDefinition', s.service_code);
    assert.equal(def.service_code, s.service_code);
    assert.ok(Array.isArray(def.attributes) && def.attributes.length > 0);
    for (const a of def.attributes) {
      assert.ok(['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist'].includes(a.datatype));
      assert.ok(Array.isArray(a.values));
    }
    if (!metadataService && def.attributes.some((a) => a.required)) {
      metadataService = s;
      definition = def;
    }
  }
  assert.ok(metadataService, 'a realtime service with a required attribute');
});

test('submit with the required attributes gives a service_request_id', async () => {
  for (let i = 0; i < 2; i++) {
    const res = await call(client, 'submitRequest', requestFor(metadataService, definition));
    assert.ok(Array.isArray(res) && res.length === 1, JSON.stringify(res));
    assert.equal(typeof res[0].service_request_id, 'string');
    assert.equal(res[0].token, undefined);
    filed.push(res[0].service_request_id);
  }
});

test('submit without a required attribute is refused', async () => {
  const required = definition.attributes.find((a) => a.required);
  const req = requestFor(metadataService, definition);
  delete req.attributes[required.code];
  await assert.rejects(call(client, 'submitRequest', req), (err) => {
    assert.equal(err.code, 400);
    assert.match(err.message, new RegExp('attribute\\[' + required.code + '\\]'));
    return true;
  });
});

test('submit without a phone or with a bad api_key is refused', async () => {
  const req = requestFor(metadataService, definition);
  delete req.phone;
  await assert.rejects(call(client, 'submitRequest', req), (err) => err.code === 400 && /phone/.test(err.message));
  const bad = new Open311({ endpoint: client.endpoint, format: 'json', apiKey: 'hyt_not-a-key', jurisdiction });
  await assert.rejects(call(bad, 'submitRequest', requestFor(metadataService, definition)), (err) => err.code === 403);
});

test('a batch service answers with a token that resolves to the id', async () => {
  const batch = services.find((s) => s.type === 'batch');
  assert.ok(batch, 'a batch service');
  const def = batch.metadata ? await call(client, 'serviceDefinition', batch.service_code) : null;
  const res = await call(client, 'submitRequest', requestFor(batch, def, { description: '请问新生儿落户需要哪些材料？' }));
  assert.equal(res.length, 1);
  assert.equal(typeof res[0].token, 'string');
  assert.equal(res[0].service_request_id, undefined);
  const tok = await call(client, 'token', res[0].token);
  assert.equal(tok.length, 1);
  assert.equal(tok[0].token, res[0].token);
  assert.equal(typeof tok[0].service_request_id, 'string');
  filed.push(tok[0].service_request_id);
});

test('GET one request is a list of one with dates', async () => {
  const got = await call(client, 'serviceRequest', filed[0]);
  assert.ok(Array.isArray(got) && got.length === 1);
  const r = got[0];
  assert.equal(r.service_request_id, filed[0]);
  assert.equal(r.status, 'open');
  assert.equal(r.service_code, metadataService.service_code);
  assert.ok(r.requested_datetime instanceof Date && !Number.isNaN(r.requested_datetime.getTime()));
  assert.ok(r.updated_datetime instanceof Date && !Number.isNaN(r.updated_datetime.getTime()));
  assert.equal(r.lat, 22.708912);
  assert.equal(r.phone, undefined);
  assert.ok(!JSON.stringify(r).includes('13800138000'), 'no contact in public data');
});

test('an id list returns exactly those requests', async () => {
  const got = await call(client, 'serviceRequests', [filed[1], filed[0]]);
  assert.deepEqual(got.map((r) => r.service_request_id), [filed[1], filed[0]]);
});

test('status and service_code filters return only matching requests', async () => {
  const open = await call(client, 'serviceRequests', { status: 'open', service_code: metadataService.service_code, page_size: 500 });
  assert.ok(open.length >= 2);
  for (const r of open) {
    assert.equal(r.status, 'open');
    assert.equal(r.service_code, metadataService.service_code);
  }
  const ids = open.map((r) => r.service_request_id);
  assert.ok(ids.includes(filed[0]) && ids.includes(filed[1]));
  const closed = await call(client, 'serviceRequests', { status: 'closed' });
  for (const r of closed) assert.equal(r.status, 'closed');
  assert.ok(!closed.some((r) => filed.includes(r.service_request_id)));
});

test('an unknown id is an error', async () => {
  await assert.rejects(call(client, 'serviceRequest', 'PS19990101999999'));
});

test('updates of a new request carry Huying\'s state', async () => {
  const res = await fetch(`${client.endpoint}servicerequestupdates.json?service_request_id=${filed[0]}`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^application\/json/);
  const updates = await res.json();
  assert.ok(Array.isArray(updates) && updates.length >= 1);
  assert.equal(updates[0].service_request_id, filed[0]);
  assert.equal(updates[0].status, 'open');
  assert.equal(updates[0].external_status_code, 'received');
  assert.ok(!Number.isNaN(new Date(updates[0].updated_datetime).getTime()));
});

test('XML answers are served with the spec content type', async () => {
  const res = await fetch(`${client.endpoint}requests/${filed[0]}.xml`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/xml; charset=utf-8');
  const body = await res.text();
  assert.ok(body.startsWith('<?xml version="1.0" encoding="utf-8"?>'));
  assert.match(body, /<service_requests><request><service_request_id>PS\d+<\/service_request_id>/);
});
