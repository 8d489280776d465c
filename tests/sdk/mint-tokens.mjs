// Mints client tokens with the official twilio npm SDK for Telephony.Core.Tests (Tokens/): reads one
// JSON request from argv[2] and prints one JSON object { name: token } on stdout.
// Request: { accountSid, keySid, keySecret, authToken, identity, nbf?, tokens: [{ name, kind, algorithm?, ttl?, incoming?, appSid?, params? }] }
import twilio from 'twilio';

const request = JSON.parse(process.argv[2]);
const { AccessToken, ClientCapability } = twilio.jwt;
const out = {};
for (const spec of request.tokens) {
  if (spec.kind === 'access') {
    const token = new AccessToken(request.accountSid, request.keySid, request.keySecret, {
      identity: spec.identity ?? request.identity,
      ttl: spec.ttl ?? 3600,
      nbf: spec.nbf,
    });
    token.addGrant(new AccessToken.VoiceGrant({
      incomingAllow: spec.incoming ?? true,
      outgoingApplicationSid: spec.appSid,
      outgoingApplicationParams: spec.params,
    }));
    out[spec.name] = token.toJwt(spec.algorithm);
  } else {
    const capability = new ClientCapability({ accountSid: request.accountSid, authToken: request.authToken, ttl: spec.ttl ?? 3600 });
    if (spec.incoming ?? true) {
      capability.addScope(new ClientCapability.IncomingClientScope(spec.identity ?? request.identity));
    }
    if (spec.appSid) {
      capability.addScope(new ClientCapability.OutgoingClientScope({ applicationSid: spec.appSid, clientName: spec.identity ?? request.identity, params: spec.params }));
    }
    out[spec.name] = capability.toJwt();
  }
}
process.stdout.write(JSON.stringify(out));
