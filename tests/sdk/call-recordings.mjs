// Lists one call's recordings with the official twilio npm SDK (v6) against a local base URL and prints them as
// JSON lines. Run by Telephony.MediaNode.Tests (RecordTests) after a <Record> on a real call stored one.
// Environment: TELEPHONY_API_BASE, TELEPHONY_ACCOUNT, TELEPHONY_TOKEN, TELEPHONY_CALL.
import twilio from 'twilio';

const { TELEPHONY_API_BASE: base, TELEPHONY_ACCOUNT: account, TELEPHONY_TOKEN: token, TELEPHONY_CALL: call } = process.env;
if (!base || !account || !token || !call) {
  console.error('TELEPHONY_API_BASE, TELEPHONY_ACCOUNT, TELEPHONY_TOKEN and TELEPHONY_CALL are required');
  process.exit(2);
}

const client = twilio(account, token);
client.api.baseUrl = base;

const listed = await client.recordings.list({ callSid: call });
for (const recording of listed) {
  const fetched = await client.recordings(recording.sid).fetch();
  console.log(JSON.stringify({
    sid: fetched.sid,
    callSid: fetched.callSid,
    duration: fetched.duration,
    source: fetched.source,
    status: fetched.status,
    channels: fetched.channels,
    mediaUrl: fetched.mediaUrl,
  }));
}
