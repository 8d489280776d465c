using System.Text;
using System.Xml;
using BenchmarkDotNet.Attributes;
using Telephony.Twiml.Parsing;

namespace Telephony.Twiml.Bench;

/// <summary>Parse + validate of a typical ~1 KB TwiML document on one core (target: ≥ 100k documents/s).</summary>
[MemoryDiagnoser]
[ShortRunJob]
public class ParseBenchmarks
{
    private readonly byte[] _document = Encoding.UTF8.GetBytes(SampleDocuments.TypicalIvr);

    private static readonly XmlReaderSettings ReaderSettings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
    };

    /// <summary>The floor: the same hardened XmlReader reading every node and attribute value, building nothing.</summary>
    [Benchmark(Baseline = true)]
    public int XmlReaderAlone()
    {
        using var reader = XmlReader.Create(new MemoryStream(_document, writable: false), ReaderSettings);
        var values = 0;
        while (reader.Read())
        {
            if (reader.MoveToFirstAttribute())
            {
                do
                {
                    values += reader.Value.Length;
                }
                while (reader.MoveToNextAttribute());
            }
        }

        return values;
    }

    [Benchmark]
    public int ParseTypicalDocument()
    {
        var result = TwimlParser.Parse(_document);
        return result.Program!.Verbs.Count;
    }
}
