using Telephony.Core.Parameters;

namespace Telephony.Core.Batches;

/// <summary>
/// One row of a batch body: its 1-based position among the rows, the CSV line it starts on (null for JSON),
/// and either its parameters (Calls.json names) or why it could not be read.
/// </summary>
public sealed record BatchRow(int Row, int? Line, RequestParameters? Parameters, string? Error = null);

/// <summary>A refused row, reported to the client with where it was.</summary>
public sealed record BatchRowError(int Row, int? Line, int Code, string Message);
