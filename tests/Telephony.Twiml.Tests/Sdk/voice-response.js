// Prints TwiML built with the official twilio SDK's VoiceResponse for every voice verb and noun.
// Output (stdout): JSON object { caseName: xml }.
"use strict";
const VoiceResponse = require("twilio/lib/twiml/VoiceResponse");

const cases = {};
function build(name, fill) {
  const response = new VoiceResponse();
  fill(response);
  cases[name] = response.toString();
}

build("say", (r) => r.say({ voice: "alice", language: "en-GB", loop: 2 }, "Hello & welcome"));
build("say-defaults", (r) => r.say("Hi"));
build("say-ssml", (r) => {
  const say = r.say({ voice: "Polly.Joanna" }, "Hi");
  say.break({ strength: "x-weak", time: "100ms" });
  say.emphasis({ level: "moderate" }, "there");
  say.sayAs({ "interpret-as": "spell-out" }, "ABC");
});
build("play", (r) => r.play({ loop: 0 }, "https://api.example.com/cowbell.mp3"));
build("play-digits", (r) => r.play({ digits: "wwww3" }));
build("pause", (r) => r.pause({ length: 7 }));
build("gather", (r) => {
  const g = r.gather({
    action: "/menu", method: "GET", timeout: 9, finishOnKey: "*", numDigits: 4, input: "dtmf speech",
    actionOnEmptyResult: true, speechTimeout: "auto", bargeIn: false, language: "fr-FR", hints: "yes, no",
    profanityFilter: false, partialResultCallback: "/partial", enhanced: true, speechModel: "phone_call",
  });
  g.say("Press 1");
  g.play("https://x.example/a.wav");
  g.pause({ length: 2 });
});
build("gather-defaults", (r) => r.gather());
build("record", (r) => r.record({
  action: "/rec", method: "GET", timeout: 0, finishOnKey: "*", maxLength: 20, playBeep: false, trim: "do-not-trim",
  recordingStatusCallback: "/rs", recordingStatusCallbackMethod: "GET", recordingStatusCallbackEvent: ["in-progress", "completed"],
  transcribe: true, transcribeCallback: "/tr",
}));
build("record-defaults", (r) => r.record());
build("dial-number", (r) => {
  const d = r.dial({
    action: "/dialed", method: "GET", timeout: 12, callerId: "+15550001111", record: "record-from-answer-dual",
    hangupOnStar: true, timeLimit: 600, answerOnBridge: true, ringTone: "de", sequential: true, trim: "trim-silence",
    recordingStatusCallback: "/drs",
  });
  d.number({ sendDigits: "ww12", url: "/whisper", method: "GET", statusCallback: "/ns", statusCallbackEvent: ["initiated", "answered"] }, "+15551234567");
  d.number("+15557654321");
});
build("dial-bare", (r) => r.dial("+15550009999"));
build("dial-sip", (r) => r.dial().sip({ username: "u", password: "p" }, "sip:alice@example.com;transport=tcp"));
build("dial-client", (r) => {
  const c = r.dial().client();
  c.identity("alice");
  c.parameter({ name: "Skill", value: "sales" });
});
build("dial-conference", (r) => r.dial().conference({ muted: true, beep: "onEnter", startConferenceOnEnter: false, endConferenceOnExit: true, waitUrl: "/wait", maxParticipants: 10, record: "record-from-start" }, "Room 1"));
build("dial-queue", (r) => r.dial().queue({ url: "/about", reservationSid: "WR1" }, "support"));
build("hangup", (r) => r.hangup());
build("reject", (r) => r.reject({ reason: "busy" }));
build("reject-defaults", (r) => r.reject());
build("redirect", (r) => r.redirect({ method: "GET" }, "https://x.example/next?a=1&b=2"));
build("enqueue", (r) => r.enqueue({ action: "/left", waitUrl: "/hold", waitUrlMethod: "GET", maxQueueSize: 20 }, "support"));
build("enqueue-task", (r) => r.enqueue({ workflowSid: "WW1" }).task({ priority: 5, timeout: 30 }, '{"lang":"es"}'));
build("leave", (r) => r.leave());
build("refer", (r) => r.refer({ action: "/refer-done" }).sip("sip:bob@example.com"));
build("sms", (r) => r.sms({ to: "+15551112222", from: "+15553334444", action: "/sms" }, "Thanks"));
build("connect-stream", (r) => {
  const s = r.connect({ action: "/after" }).stream({ url: "wss://x.example/media", name: "s1" });
  s.parameter({ name: "k", value: "v" });
});
build("start-stream", (r) => r.start().stream({ url: "wss://x.example/fork", track: "both_tracks" }));
build("stop-stream", (r) => r.stop().stream({ name: "s1" }));
build("pay", (r) => r.pay({ chargeAmount: "10.00", paymentConnector: "Stripe", action: "/paid", maxAttempts: 2, timeout: 7 }));

process.stdout.write(JSON.stringify(cases));
