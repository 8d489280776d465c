// Everything here drives linux-x64 artifacts (the bicep CLI package, the self-contained handler).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
