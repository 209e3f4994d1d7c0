using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace Antq.Identity.Api.Tokens;

/// <summary>
/// The keys the token server uses. Every replica must hold the same ones (a token signed by one is checked against
/// the key set another publishes; a code issued by one is redeemed at another), so they never come from an ephemeral
/// or development key: <c>Identity:SigningKeyPem</c> (a PEM RSA private key) or <c>Identity:SigningKeyFile</c> (a
/// path; a 2048-bit key is created there, readable by the owner only, when the file does not exist yet).
/// </summary>
public sealed class TokenKeys
{
    TokenKeys(RSA rsa)
    {
        Rsa = rsa;
        SigningKey = new RsaSecurityKey(rsa);
        // A stable key id (the RFC 7638 thumbprint), identical on every replica.
        SigningKey.KeyId = Base64UrlEncoder.Encode(SigningKey.ComputeJwkThumbprint());

        // Codes and refresh tokens are encrypted as well as signed. The encryption key is derived from the private
        // signing key so that one secret is enough for every replica, yet the two uses never share key material.
        var secret = rsa.ExportParameters(includePrivateParameters: true).D!;
        var derived = HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, salt: [], info: Encoding.ASCII.GetBytes("antq-identity-token-encryption"));
        EncryptionKey = new SymmetricSecurityKey(derived) { KeyId = "enc-" + SigningKey.KeyId[..16] };
    }

    public RSA Rsa { get; }

    public RsaSecurityKey SigningKey { get; }

    public SymmetricSecurityKey EncryptionKey { get; }

    public static TokenKeys Load(IConfiguration configuration)
    {
        if (configuration["Identity:SigningKeyPem"] is { Length: > 0 } pem)
        {
            return FromPem(pem, "Identity:SigningKeyPem");
        }

        if (configuration["Identity:SigningKeyFile"] is { Length: > 0 } file)
        {
            var path = Path.GetFullPath(file);
            if (!File.Exists(path)) CreateKeyFile(path);
            return FromPem(File.ReadAllText(path), path);
        }

        throw new InvalidOperationException(
            "The Identity service has no signing key. Set Identity:SigningKeyPem (a PEM RSA private key) or " +
            "Identity:SigningKeyFile (a path, created with a new key when missing), the same for every replica.");
    }

    static TokenKeys FromPem(string pem, string source)
    {
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            _ = rsa.ExportParameters(includePrivateParameters: true);
        }
        catch (CryptographicException ex)
        {
            rsa.Dispose();
            throw new InvalidOperationException($"The signing key in {source} is not a PEM RSA private key.", ex);
        }
        catch (ArgumentException ex)
        {
            rsa.Dispose();
            throw new InvalidOperationException($"The signing key in {source} is not a PEM RSA private key.", ex);
        }

        if (rsa.KeySize < 2048)
        {
            throw new InvalidOperationException($"The signing key in {source} has {rsa.KeySize} bits; at least 2048 are needed.");
        }

        return new TokenKeys(rsa);
    }

    /// <summary>
    /// Writes a new key to a temporary file and renames it into place: replicas that start together on a shared
    /// volume all end up reading the one key that won the rename.
    /// </summary>
    static void CreateKeyFile(string path)
    {
        var directory = Path.GetDirectoryName(path)!;
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(directory);
        else Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        using var rsa = RSA.Create(2048);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new StreamWriter(temporary, Encoding.ASCII, options))
        {
            stream.Write(rsa.ExportPkcs8PrivateKeyPem());
        }

        try
        {
            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary); // another replica was first; use its key
        }
    }
}
