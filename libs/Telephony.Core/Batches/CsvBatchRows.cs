using System.Runtime.CompilerServices;
using Telephony.Core.Errors;
using Telephony.Core.Parameters;

namespace Telephony.Core.Batches;

/// <summary>
/// The rows of a CSV batch body: a header line of Calls.json parameter names, then one call per line.
/// Empty cells are absent parameters. A malformed header refuses the whole body (400); a record that
/// breaks CSV (unclosed quote, oversized field) ends the reading with an error row at its line.
/// </summary>
public static class CsvBatchRows
{
    private const int MaxColumns = 32;

    /// <summary>Reads the header (throwing a 400 when it is unusable) and returns the rows after it.</summary>
    public static async Task<IAsyncEnumerable<BatchRow>> OpenAsync(TextReader reader, CancellationToken cancellationToken = default)
    {
        var csv = new CsvRecordReader(reader, BatchColumns.MaxFieldLength, MaxColumns);
        CsvRecord header;
        try
        {
            header = await csv.ReadAsync(cancellationToken)
                ?? throw new TwilioException(TwilioError.BadRequest(TwilioErrorCodes.InvalidParameter, "The CSV body is empty; it needs a header line and rows."));
        }
        catch (CsvFormatException e)
        {
            throw new TwilioException(TwilioError.BadRequest(TwilioErrorCodes.InvalidParameter, $"Line {e.Line}: {e.Message}"));
        }

        var names = header.Fields.Select(f => f.Trim()).ToArray();
        BatchColumns.ValidateHeader(names);
        return ReadRowsAsync(csv, names, cancellationToken);
    }

    private static async IAsyncEnumerable<BatchRow> ReadRowsAsync(CsvRecordReader csv, string[] names, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var row = 0;
        while (true)
        {
            CsvRecord? record;
            string? failure = null;
            int failedLine = 0;
            try
            {
                record = await csv.ReadAsync(cancellationToken);
            }
            catch (CsvFormatException e)
            {
                (record, failure, failedLine) = (null, e.Message + " The rest of the body was not read.", e.Line);
            }

            if (failure is not null)
            {
                yield return new BatchRow(++row, failedLine, null, failure);
                yield break;
            }

            if (record is null)
            {
                yield break;
            }

            row++;
            if (record.Fields.Count != names.Length)
            {
                yield return new BatchRow(row, record.Line, null, $"The line has {record.Fields.Count} fields; the header has {names.Length}.");
                continue;
            }

            var values = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            for (var i = 0; i < names.Length; i++)
            {
                if (record.Fields[i].Length > 0)
                {
                    values[names[i]] = [record.Fields[i]];
                }
            }

            yield return new BatchRow(row, record.Line, new RequestParameters(values));
        }
    }
}
