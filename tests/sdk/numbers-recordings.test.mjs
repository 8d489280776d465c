// IncomingPhoneNumbers and Recordings through the official twilio npm SDK (v6) against a local base URL.
// Run by Telephony.Functions.Tests (NumbersRecordingsSdkTests), which starts the API on a free loopback
// port, seeds three recordings of one call for a tenant, and passes them in TELEPHONY_REC_* variables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import twilio from 'twilio';

const base = process.env.TELEPHONY_API_BASE;
const adminKey = process.env.TELEPHONY_ADMIN_KEY;
assert.ok(base && adminKey, 'TELEPHONY_API_BASE and TELEPHONY_ADMIN_KEY are required');

function local(client) {
  client.api.baseUrl = base;
  return client;
}

const operator = local(twilio('admin', adminKey, { accountSid: 'AC' + '0'.repeat(32) }));

async function newTenant(name) {
  const account = await operator.api.v2010.accounts.create({ friendlyName: name });
  return local(twilio(account.sid, account.authToken));
}

// The operator's inventory is not a Twilio resource: plain HTTP with admin Basic auth.
async function addToInventory(number) {
  const response = await fetch(`${base}/v1/PhoneNumbers`, {
    method: 'POST',
    headers: {
      authorization: 'Basic ' + Buffer.from(`admin:${adminKey}`).toString('base64'),
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ PhoneNumber: number }),
  });
  assert.equal(response.status, 201);
}

const newNumber = () => '+1555' + String(randomInt(0, 10_000_000)).padStart(7, '0');

async function rejects(promise, status, code) {
  await assert.rejects(promise, (error) => {
    assert.equal(error.constructor.name, 'RestException', String(error));
    assert.equal(error.status, status);
    assert.equal(error.code, code);
    return true;
  });
}

test('create, fetch, update and remove an incoming phone number', async () => {
  const client = await newTenant('sdk-numbers');
  const number = newNumber();
  await addToInventory(number);

  const created = await client.incomingPhoneNumbers.create({
    phoneNumber: number,
    voiceUrl: 'https://app.example/voice',
    voiceMethod: 'GET',
    statusCallback: 'https://app.example/status',
  });
  assert.match(created.sid, /^PN[0-9a-f]{32}$/);
  assert.equal(created.phoneNumber, number);
  assert.equal(created.voiceUrl, 'https://app.example/voice');
  assert.equal(created.voiceMethod, 'GET');
  assert.equal(created.capabilities.voice, true);
  assert.ok(created.dateCreated instanceof Date && !Number.isNaN(created.dateCreated.getTime()));

  const fetched = await client.incomingPhoneNumbers(created.sid).fetch();
  assert.equal(fetched.phoneNumber, number);

  const updated = await client.incomingPhoneNumbers(created.sid).update({ friendlyName: 'front desk', voiceFallbackUrl: 'https://app.example/fb' });
  assert.equal(updated.friendlyName, 'front desk');
  assert.equal(updated.voiceFallbackUrl, 'https://app.example/fb');
  assert.equal(updated.voiceUrl, 'https://app.example/voice');

  assert.equal(await client.incomingPhoneNumbers(created.sid).remove(), true);
  await rejects(client.incomingPhoneNumbers(created.sid).fetch(), 404, 20404);
});

test('list follows pages and filters by phone number', async () => {
  const client = await newTenant('sdk-number-list');
  const numbers = [newNumber(), newNumber(), newNumber()];
  const sids = [];
  for (const number of numbers) {
    await addToInventory(number);
    sids.push((await client.incomingPhoneNumbers.create({ phoneNumber: number })).sid);
  }

  const listed = await client.incomingPhoneNumbers.list({ pageSize: 2 });
  assert.deepEqual(listed.map((n) => n.sid).sort(), [...sids].sort());
  const one = await client.incomingPhoneNumbers.list({ phoneNumber: numbers[1] });
  assert.deepEqual(one.map((n) => n.sid), [sids[1]]);
});

test('a held number is refused to another account; invalid numbers are refused', async () => {
  const a = await newTenant('sdk-a');
  const b = await newTenant('sdk-b');
  const number = newNumber();
  await addToInventory(number);
  await a.incomingPhoneNumbers.create({ phoneNumber: number });
  await rejects(b.incomingPhoneNumbers.create({ phoneNumber: number }), 400, 21422);
  await rejects(b.incomingPhoneNumbers.create({ phoneNumber: '555-0100' }), 400, 21421);
});

test('recordings: list, filter by call, fetch, call subresource, remove', async () => {
  const client = local(twilio(process.env.TELEPHONY_REC_ACCOUNT, process.env.TELEPHONY_REC_TOKEN));
  const callSid = process.env.TELEPHONY_REC_CALL;
  const newestFirst = process.env.TELEPHONY_REC_SIDS.split(',');

  const all = await client.recordings.list({ pageSize: 2 });
  assert.deepEqual(all.map((r) => r.sid), newestFirst);
  const byCall = await client.recordings.list({ callSid });
  assert.deepEqual(byCall.map((r) => r.sid), newestFirst);
  const viaCall = await client.calls(callSid).recordings.list();
  assert.deepEqual(viaCall.map((r) => r.sid), newestFirst);

  const recording = await client.recordings(newestFirst[0]).fetch();
  assert.equal(recording.callSid, callSid);
  assert.equal(recording.duration, '2');
  assert.equal(recording.channels, 1);
  assert.equal(recording.source, 'DialVerb');
  assert.equal(recording.status, 'completed');
  assert.ok(recording.startTime instanceof Date);
  const audio = await fetch(recording.mediaUrl + '.wav', {
    headers: { authorization: 'Basic ' + Buffer.from(`${process.env.TELEPHONY_REC_ACCOUNT}:${process.env.TELEPHONY_REC_TOKEN}`).toString('base64') },
  });
  assert.equal(audio.status, 200);
  assert.equal(Buffer.from(await audio.arrayBuffer()).subarray(0, 4).toString('ascii'), 'RIFF');

  assert.equal(await client.recordings(newestFirst[0]).remove(), true);
  await rejects(client.recordings(newestFirst[0]).fetch(), 404, 20404);
  assert.equal((await client.recordings.list()).length, 2);
});
