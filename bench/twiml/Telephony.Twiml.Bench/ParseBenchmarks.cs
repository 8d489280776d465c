using System.Text;
using BenchmarkDotNet.Attributes;
using Telephony.Twiml.Parsing;

namespace Telephony.Twiml.Bench;

/// <summary>Parse + validate of a typical ~1 KB TwiML document on one core (target: ≥ 100k documents/s).</summary>
[MemoryDiagnoser]
[ShortRunJob]
public class ParseBenchmarks
{
    private readonly byte[] _document = Encoding.UTF8.GetBytes(SampleDocuments.TypicalIvr);

    [Benchmark]
    public int ParseTypicalDocument()
    {
        var result = TwimlParser.Parse(_document);
        return result.Program!.Verbs.Count;
    }
}
