namespace Telephony.Core.Numbers;

/// <summary>
/// Inbound routing: which account holds a called number and where its calls go. Two point reads (the
/// number's claim, then the account's record); a number nobody holds is null (the node answers 404).
/// </summary>
public sealed class PhoneNumberDirectory
{
    private readonly NumberClaims _claims;
    private readonly PhoneNumberStore _numbers;

    public PhoneNumberDirectory(Storage.StorageClients storage, PhoneNumberStore numbers)
    {
        _claims = new NumberClaims(storage);
        _numbers = numbers;
    }

    public async Task<PhoneNumberRecord?> FindAsync(string e164, CancellationToken cancellationToken = default)
    {
        if (!E164.IsValid(e164) || await _claims.GetAsync(e164, cancellationToken) is not { } claim)
        {
            return null;
        }

        var record = await _numbers.GetAsync(claim.AccountSid, claim.PhoneNumberSid, cancellationToken);
        return record is not null && record.PhoneNumber == e164 ? record : null;
    }
}
