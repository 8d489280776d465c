// Applications resource through the official twilio npm SDK (v6) against a local base URL. Run by
// Telephony.Functions.Tests (ApplicationsSdkTests) with TELEPHONY_API_BASE and TELEPHONY_ADMIN_KEY.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import twilio from 'twilio';

const base = process.env.TELEPHONY_API_BASE;
const adminKey = process.env.TELEPHONY_ADMIN_KEY;
assert.ok(base && adminKey, 'TELEPHONY_API_BASE and TELEPHONY_ADMIN_KEY are required');

function local(client) {
  client.api.baseUrl = base;
  return client;
}

const operator = local(twilio('admin', adminKey, { accountSid: 'AC' + '0'.repeat(32) }));

test('create, fetch, list, update and remove applications', async () => {
  const account = await operator.api.v2010.accounts.create({ friendlyName: 'sdk-applications' });
  const client = local(twilio(account.sid, account.authToken));

  const app = await client.applications.create({
    friendlyName: 'softphone',
    voiceUrl: 'https://app.example/voice',
    voiceMethod: 'get',
    statusCallback: 'https://app.example/status',
  });
  assert.match(app.sid, /^AP[0-9a-f]{32}$/);
  assert.equal(app.accountSid, account.sid);
  assert.equal(app.voiceMethod, 'GET');
  assert.equal(app.voiceFallbackMethod, 'POST');
  assert.equal(app.apiVersion, '2010-04-01');
  assert.ok(app.dateCreated instanceof Date && !Number.isNaN(app.dateCreated.getTime()));

  const other = await client.applications.create({ friendlyName: 'other' });
  const fetched = await client.applications(app.sid).fetch();
  assert.equal(fetched.voiceUrl, 'https://app.example/voice');

  const all = await client.applications.list({ pageSize: 1 });
  assert.deepEqual(all.map((a) => a.sid).sort(), [app.sid, other.sid].sort());
  const named = await client.applications.list({ friendlyName: 'softphone' });
  assert.deepEqual(named.map((a) => a.sid), [app.sid]);

  const updated = await client.applications(app.sid).update({ voiceUrl: 'https://app.example/v2', voiceFallbackUrl: 'https://app.example/fallback' });
  assert.equal(updated.voiceUrl, 'https://app.example/v2');
  assert.equal(updated.voiceFallbackUrl, 'https://app.example/fallback');
  assert.equal(updated.statusCallback, 'https://app.example/status');

  assert.equal(await client.applications(app.sid).remove(), true);
  await assert.rejects(client.applications(app.sid).fetch(), (error) => error.status === 404 && error.code === 20404);
  await assert.rejects(client.applications.create({ voiceUrl: 'ftp://nope' }), (error) => error.status === 400 && error.code === 21205);
});
