// Compatibility of the REST API with the official twilio npm SDK (v6), using the SDK's own HTTP
// client against a local base URL. Run by Telephony.Functions.Tests (SdkCompatibilityTests), which
// starts the API on a free loopback port and sets TELEPHONY_API_BASE and TELEPHONY_ADMIN_KEY.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import twilio from 'twilio';

const base = process.env.TELEPHONY_API_BASE;
const adminKey = process.env.TELEPHONY_ADMIN_KEY;
assert.ok(base, 'TELEPHONY_API_BASE is required');
assert.ok(adminKey, 'TELEPHONY_ADMIN_KEY is required');

// The SDK builds every URL from its Api domain's baseUrl (https://api.twilio.com); point it here.
function local(client) {
  client.api.baseUrl = base;
  return client;
}

// The operator is not an account; the SDK wants an AC sid for its own bookkeeping only.
const operator = local(twilio('admin', adminKey, { accountSid: 'AC' + '0'.repeat(32) }));

async function newTenant(name) {
  const account = await operator.api.v2010.accounts.create({ friendlyName: name });
  assert.match(account.sid, /^AC[0-9a-f]{32}$/);
  assert.equal(account.status, 'active');
  return { account, client: local(twilio(account.sid, account.authToken)) };
}

async function rejects(promise, status, code) {
  await assert.rejects(promise, (error) => {
    assert.equal(error.constructor.name, 'RestException', String(error));
    assert.equal(error.status, status);
    assert.equal(error.code, code);
    assert.equal(error.moreInfo, `https://www.twilio.com/docs/errors/${code}`);
    return true;
  });
}

const callParams = (to) => ({ to, from: '+15559990000', url: 'https://app.example/voice' });

test('create, fetch, update and remove a call', async () => {
  const { client } = await newTenant('sdk-crud');

  const call = await client.calls.create({
    ...callParams('+15550001000'),
    statusCallback: 'https://app.example/status',
    statusCallbackEvent: ['initiated', 'answered', 'completed'],
    timeout: 30,
    record: true,
  });
  assert.match(call.sid, /^CA[0-9a-f]{32}$/);
  assert.equal(call.status, 'queued');
  assert.equal(call.direction, 'outbound-api');
  assert.ok(call.dateCreated instanceof Date && !Number.isNaN(call.dateCreated.getTime()));

  const fetched = await client.calls(call.sid).fetch();
  assert.equal(fetched.sid, call.sid);
  assert.equal(fetched.to, '+15550001000');
  assert.equal(fetched.dateCreated.getTime(), call.dateCreated.getTime());

  const redirected = await client.calls(call.sid).update({ twiml: '<Response><Say>hi</Say></Response>' });
  assert.equal(redirected.status, 'queued');
  const canceled = await client.calls(call.sid).update({ status: 'canceled' });
  assert.equal(canceled.status, 'canceled');
  await rejects(client.calls(call.sid).update({ url: 'https://app.example/late' }), 400, 21220);

  assert.equal(await client.calls(call.sid).remove(), true);
  await rejects(client.calls(call.sid).fetch(), 404, 20404);
});

test('list, each and page follow next_page_uri across pages', async () => {
  const { client } = await newTenant('sdk-paging');
  const created = [];
  for (let i = 0; i < 7; i++) {
    created.push((await client.calls.create(callParams(`+1555000200${i % 2}`))).sid);
  }
  const newestFirst = [...created].reverse();

  const listed = await client.calls.list({ pageSize: 3 });
  assert.deepEqual(listed.map((c) => c.sid), newestFirst);

  const limited = await client.calls.list({ pageSize: 2, limit: 5 });
  assert.deepEqual(limited.map((c) => c.sid), newestFirst.slice(0, 5));

  const eachSeen = [];
  await new Promise((resolve, reject) => {
    client.calls.each({ pageSize: 2, done: (error) => (error ? reject(error) : resolve()) }, (c) => { eachSeen.push(c.sid); });
  });
  assert.deepEqual(eachSeen, newestFirst);

  const first = await client.calls.page({ pageSize: 4 });
  assert.equal(first.instances.length, 4);
  const second = await first.nextPage();
  assert.deepEqual(second.instances.map((c) => c.sid), newestFirst.slice(4));
  assert.equal(await second.nextPage(), undefined);

  const filtered = await client.calls.list({ to: '+15550002001', pageSize: 1 });
  assert.equal(filtered.length, 3);
  assert.ok(filtered.every((c) => c.to === '+15550002001'));
  assert.deepEqual(await client.calls.list({ status: 'in-progress' }), []);
  assert.deepEqual(await client.calls.list({ startTimeBefore: new Date('2001-01-01T00:00:00Z') }), []);
});

test('errors arrive as RestException with Twilio codes', async () => {
  const { account, client } = await newTenant('sdk-errors');

  await rejects(client.calls.create({ from: '+15559990000', url: 'https://app.example/voice', to: '' }), 400, 21201);
  await rejects(client.calls.create({ ...callParams('+15550003000'), machineDetection: 'Enable' }), 400, 20001);
  await rejects(client.calls.create({ ...callParams('+15550003000'), timeout: 601 }), 400, 20001);

  const wrong = local(twilio(account.sid, 'f'.repeat(32)));
  await rejects(wrong.calls.list(), 401, 20003);

  const other = await newTenant('sdk-other');
  const call = await client.calls.create(callParams('+15550003001'));
  await rejects(other.client.calls(call.sid).fetch(), 404, 20404);
});

test('API keys authenticate the SDK and can be revoked', async () => {
  const { account, client } = await newTenant('sdk-keys');
  const key = await client.newKeys.create({ friendlyName: 'ci' });
  assert.match(key.sid, /^SK[0-9a-f]{32}$/);
  assert.ok(key.secret);

  const byKey = local(twilio(key.sid, key.secret, { accountSid: account.sid }));
  const call = await byKey.calls.create(callParams('+15550004000'));
  assert.equal((await byKey.calls(call.sid).fetch()).sid, call.sid);
  assert.deepEqual((await client.keys.list()).map((k) => k.sid), [key.sid]);

  assert.equal(await client.keys(key.sid).remove(), true);
  await rejects(byKey.calls.list(), 401, 20003);
});

test('the operator fetches and suspends accounts', async () => {
  const { account, client } = await newTenant('sdk-operator');

  const fetched = await operator.api.v2010.accounts(account.sid).fetch();
  assert.equal(fetched.friendlyName, 'sdk-operator');
  const suspended = await operator.api.v2010.accounts(account.sid).update({ status: 'suspended' });
  assert.equal(suspended.status, 'suspended');
  await rejects(client.calls.list(), 401, 20003);
  await rejects(client.api.v2010.accounts.create({ friendlyName: 'nope' }), 401, 20003);
});
