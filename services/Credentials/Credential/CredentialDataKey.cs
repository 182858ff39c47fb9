using Bitcain.Secrets;

namespace Bitcain.Credentials.Credential;

/// <summary>
/// A credential's wrapped data key, kept as a document apart from the event stream on purpose: deleting the
/// credential deletes this document, and then no event's ciphertext can be opened again (crypto-shredding).
/// A master-key rotation re-wraps it in place without touching a single event.
/// </summary>
public sealed record CredentialDataKey(Guid Id, WrappedDataKey Key);
