using System.Security.Cryptography;
using System.Text;

namespace RpaWorker.Fhir;

/// <summary>Deterministic FHIR ids, so that re-running a playbook updates resources instead of duplicating them.</summary>
public static class ResourceIds
{
    /// <summary>
    /// The id of the resource of <paramref name="resourceType"/> that a source system's record
    /// <paramref name="key"/> becomes: 64 lowercase hex characters of a SHA-256 over the three inputs.
    /// </summary>
    /// <remarks>
    /// Same inputs, same id, in every process. Each input is length-prefixed before hashing, so no two different
    /// (sourceSystem, resourceType, key) triples hash the same bytes; records of different source systems
    /// therefore never share an id. The id reveals nothing of the key (an MRN can be part of a key).
    /// </remarks>
    /// <param name="sourceSystem">The source EHR's identity, e.g. its identifier system URI.</param>
    /// <param name="resourceType">The FHIR resource type, e.g. Condition.</param>
    /// <param name="key">The EHR's own key for the record, e.g. "problem-400001".</param>
    /// <exception cref="ArgumentException">An input is null or empty.</exception>
    public static string For(string sourceSystem, string resourceType, string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(sourceSystem);
        ArgumentException.ThrowIfNullOrEmpty(resourceType);
        ArgumentException.ThrowIfNullOrEmpty(key);

        var material = new StringBuilder();
        foreach (var part in new[] { sourceSystem, resourceType, key })
        {
            material.Append(part.Length).Append(':').Append(part).Append('\n');
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(material.ToString()));
        return Convert.ToHexStringLower(hash);
    }
}
