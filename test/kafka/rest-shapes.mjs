// The Confluent REST Proxy's produce shapes, v2 and v3, as plain functions: a request's body to
// the records to produce, and the acknowledged records to the response body. No I/O here.
// v2: POST /topics/{topic}, Content-Type application/vnd.kafka.json.v2+json,
//     {records: [{key?, value, partition?}]} → 200 {offsets: [{partition, offset, error_code, error}]}
// v3: POST /v3/clusters/{cluster}/topics/{topic}/records, application/json,
//     {partition_id?, key?: {type, data}, value?: {type, data}} → 200 {error_code: 200, cluster_id, …}
//     POST …/records:batch, {entries: [{id, …the same}]} → 207 {successes: […], failures: […]}
// Errors are {error_code, message}: v2 codes have 5 digits (40401 topic not found), v3 codes are
// the HTTP status.

/** A request that cannot succeed: its HTTP status and error body. */
export class RestError extends Error {
  constructor(status, errorCode, message) {
    super(message);
    this.status = status;
    this.body = { error_code: errorCode, message };
  }
}

export const V2_CONTENT_TYPE = 'application/vnd.kafka.json.v2+json';
export const V2_RESPONSE_TYPE = 'application/vnd.kafka.v2+json';

/** Must: match /topics/{t}, /v3/clusters/{c}/topics/{t}/records and …/records:batch, nothing else. */
export function route(pathname) {
  const parts = pathname.split('/').map(decodeURIComponent);
  if (parts.length === 3 && parts[1] === 'topics' && parts[2]) {
    return { api: 'v2', topic: parts[2] };
  }
  if (parts.length === 7 && parts[1] === 'v3' && parts[2] === 'clusters' && parts[4] === 'topics') {
    const [cluster, , topic, last] = parts.slice(3);
    if (last === 'records') return { api: 'v3', cluster, topic };
    if (last === 'records:batch') return { api: 'v3-batch', cluster, topic };
  }
  return undefined;
}

const mediaType = (header) => (header ?? '').split(';')[0].trim().toLowerCase();

/** Must: answer 415 for another content type than the API's, 400 for JSON that does not parse. */
export function parseBody(api, contentType, text) {
  const expected = api === 'v2' ? V2_CONTENT_TYPE : 'application/json';
  if (mediaType(contentType) !== expected) {
    throw new RestError(415, 415, 'HTTP 415 Unsupported Media Type');
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new RestError(400, 400, `Malformed JSON: ${error.message}`);
  }
}

const isObject = (x) => typeof x === 'object' && x !== null && !Array.isArray(x);
const invalid = (api, message) => new RestError(422, api === 'v2' ? 42200 : 422, message);

/** A key or value as the bytes Kafka stores: the JSON embedded format serialises it as JSON. */
const jsonBytes = (data) => (data === undefined || data === null ? null : JSON.stringify(data));

/** v2's records: [{key, value, partition}] with key and value as Kafka bytes (strings). */
export function v2Records(body) {
  if (!isObject(body) || !Array.isArray(body.records) || body.records.length === 0) {
    throw invalid('v2', 'records may not be empty');
  }
  return body.records.map((record) => {
    if (!isObject(record)) throw invalid('v2', 'a record must be an object');
    if (record.partition !== undefined && !Number.isInteger(record.partition)) {
      throw invalid('v2', 'partition must be an integer');
    }
    return {
      key: jsonBytes(record.key),
      value: jsonBytes(record.value),
      partition: record.partition,
    };
  });
}

/** A v3 key or value `{type, data}`: JSON (any JSON), STRING (a string), BINARY (base64). */
function v3Data(part, name) {
  if (part === undefined || part === null) return { bytes: null };
  if (!isObject(part)) throw invalid('v3', `${name} must be an object {type, data}`);
  const type = part.type ?? 'BINARY';
  if (part.data === undefined || part.data === null) return { type, bytes: null };
  if (type === 'JSON') return { type, bytes: JSON.stringify(part.data) };
  if (typeof part.data !== 'string') throw invalid('v3', `${name}.data must be a string`);
  if (type === 'STRING') return { type, bytes: part.data };
  if (type === 'BINARY') return { type, bytes: Buffer.from(part.data, 'base64') };
  throw invalid('v3', `${name}.type ${type} is not served here (JSON, STRING, BINARY)`);
}

/** One v3 record (a single produce's body, or a batch entry). */
export function v3Record(body) {
  if (!isObject(body)) throw invalid('v3', 'the request must be an object');
  if (body.partition_id !== undefined && !Number.isInteger(body.partition_id)) {
    throw invalid('v3', 'partition_id must be an integer');
  }
  const key = v3Data(body.key, 'key');
  const value = v3Data(body.value, 'value');
  return {
    key: key.bytes,
    value: value.bytes,
    partition: body.partition_id,
    keyType: key.type,
    valueType: value.type,
  };
}

/** Must: reject an empty batch, more than `maxEntries`, and ids that are missing or repeated (400). */
export function v3BatchEntries(body, maxEntries) {
  const entries = isObject(body) ? body.entries : undefined;
  if (!Array.isArray(entries) || entries.length === 0) {
    throw new RestError(400, 400, 'Batch must not be empty.');
  }
  if (entries.length > maxEntries) {
    throw new RestError(400, 400, `Too many entries in batch (at most ${maxEntries}).`);
  }
  const ids = new Set();
  return entries.map((entry) => {
    const id = entry?.id;
    if (typeof id !== 'string' || id.length < 1 || id.length > 80) {
      throw new RestError(400, 400, 'Each entry needs an id of 1 to 80 characters.');
    }
    if (ids.has(id)) throw new RestError(400, 400, 'Batch entry IDs are not distinct.');
    ids.add(id);
    return { id, ...v3Record(entry) };
  });
}

const size = (bytes) => (bytes === null ? 0 : Buffer.byteLength(bytes));

/** The v3 answer for one acknowledged record (`acked`: {partition, offset, timestamp}). */
export function v3Success(clusterId, topic, record, acked) {
  return {
    cluster_id: clusterId,
    topic_name: topic,
    partition_id: acked.partition,
    offset: acked.offset,
    timestamp: new Date(acked.timestamp).toISOString(),
    ...(record.keyType && { key: { type: record.keyType, size: size(record.key) } }),
    ...(record.valueType && { value: { type: record.valueType, size: size(record.value) } }),
  };
}

/** What a record the broker did not take is answered with: retriable (v2 code 2, v3 503). */
const NOT_TAKEN = 'NOT_ENOUGH_REPLICAS';

/**
 * The v2 answer, in the order of the request: each record's `{partition, offset}` (offset null:
 * not taken, with v2's retriable error code 2).
 */
export const v2Success = (results) => ({
  key_schema_id: null,
  value_schema_id: null,
  offsets: results.map(({ partition, offset }) =>
    offset === null
      ? { partition, offset: null, error_code: 2, error: NOT_TAKEN }
      : { partition, offset, error_code: null, error: null },
  ),
});

/** A v3 batch entry the broker did not take, or a v3 single record's error. */
export const v3Failure = (id) => ({ id, error_code: 503, message: NOT_TAKEN });
export const v3NotTaken = () => new RestError(503, 503, NOT_TAKEN);

/** The error body of an injected `status` fault: `errorCode`, else v2's `<status>01`, v3's status. */
export function injectedError(api, { status, errorCode }) {
  const code = errorCode ?? (api === 'v2' ? status * 100 + 1 : status);
  return new RestError(status, code, `injected ${status}`);
}

/** A key or value's bytes (null, a string or a Buffer) as JSON when they parse, else as text. */
export function jsonOrText(bytes) {
  if (bytes === null) return null;
  const text = bytes.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Unknown topic or partition, in each API's words. */
export function notFound(api, what) {
  if (api === 'v2') {
    return what === 'topic'
      ? new RestError(404, 40401, 'Topic not found.')
      : new RestError(404, 40402, 'Partition not found.');
  }
  return new RestError(404, 404, 'This server does not host this topic-partition.');
}
