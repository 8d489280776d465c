// Feeds (authToken, signature, url, params | body) cases to the official twilio SDK's validators.
// Input (stdin): JSON array of cases. Output (stdout): JSON array of { valid, expected } per case.
"use strict";
const webhooks = require("twilio/lib/webhooks/webhooks");

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const cases = JSON.parse(input);
  const results = cases.map((c) => {
    if (c.body !== undefined && c.body !== null) {
      return {
        valid: webhooks.validateRequestWithBody(c.authToken, c.signature, c.url, c.body),
        expected: webhooks.getExpectedTwilioSignature(c.authToken, c.url, {}),
      };
    }
    return {
      valid: webhooks.validateRequest(c.authToken, c.signature, c.url, c.params || {}),
      expected: webhooks.getExpectedTwilioSignature(c.authToken, c.url, c.params || {}),
    };
  });
  process.stdout.write(JSON.stringify(results));
});
