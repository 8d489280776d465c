// The media-node container program: SIP/RTP engine host, call runner, registrar. Composition only:
// MediaNodeApp/NodeHosting wire the libs together; call logic lives in Calls/, Dialing/, Work/.
using Telephony.MediaNode;

await MediaNodeApp.Build(args).RunAsync();
