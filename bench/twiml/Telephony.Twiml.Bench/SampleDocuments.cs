namespace Telephony.Twiml.Bench;

/// <summary>A typical IVR answer of about 1 KB: greeting, a menu Gather with nested prompts, fallback and redirect.</summary>
internal static class SampleDocuments
{
    public const string TypicalIvr = """
        <?xml version="1.0" encoding="UTF-8"?>
        <Response>
          <Say voice="Polly.Joanna" language="en-US">Thank you for calling Example Corporation. Calls may be recorded for quality purposes.</Say>
          <Pause length="1"/>
          <Gather action="https://app.example.com/ivr/menu?step=1&amp;lang=en" method="POST" numDigits="1" timeout="7" finishOnKey="#" actionOnEmptyResult="false">
            <Say voice="Polly.Joanna" language="en-US">For sales, press 1. For support, press 2. For billing, press 3.</Say>
            <Say voice="Polly.Joanna" language="en-US">To hear these options again, press 9. To leave a message, press 0.</Say>
            <Play loop="1">https://cdn.example.com/audio/menu-music.mp3</Play>
          </Gather>
          <Say voice="Polly.Joanna" language="en-US">We did not receive any input. Let us try that again.</Say>
          <Dial action="https://app.example.com/ivr/dialed" timeout="20" callerId="+15551230000" record="record-from-answer">
            <Number sendDigits="ww1234" statusCallback="https://app.example.com/status" statusCallbackEvent="initiated ringing answered completed">+15557654321</Number>
            <Client><Identity>operator</Identity><Parameter name="queue" value="frontdesk"/></Client>
          </Dial>
          <Redirect method="POST">https://app.example.com/ivr/start?retry=1</Redirect>
        </Response>
        """;
}
