using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using RpaWorker.Connectors;

namespace RpaWorker.Host.Tests.FhirApi.Support;

internal static class FhirAssert
{
    private static readonly FhirJsonDeserializer Deserializer = new(new DeserializerSettings());

    public static Resource Parse(string json) => Deserializer.DeserializeResource(json);

    /// <summary>
    /// Asserts that two JSON texts are the same FHIR resource apart from <c>meta.versionId</c> and
    /// <c>meta.lastUpdated</c> (which a server sets), whatever their property order and spacing.
    /// </summary>
    public static void SameContent(string expected, string actual)
    {
        var (left, right) = (Parse(expected), Parse(actual));
        foreach (var resource in new[] { left, right })
        {
            resource.Meta ??= new Meta();
            resource.Meta.VersionId = null;
            resource.Meta.LastUpdated = null;
        }

        Assert.True(left.IsExactly(right), $"{left.TypeName}/{left.Id} differs from what was stored.");
    }

    /// <summary>The value of a result that must have succeeded, with its failure in the message otherwise.</summary>
    public static T Ok<T>(ConnectorResult<T> result)
    {
        if (!result.Ok)
        {
            Assert.Fail(result.IsPending ? "The result is pending." : $"{result.Failure!.Kind}: {result.Failure.Reason}");
        }

        return result.Value!;
    }

    /// <summary>The failure of a result that must have failed with <paramref name="kind"/>.</summary>
    public static ConnectorFailure Failed<T>(ConnectorResult<T> result, ConnectorFailureKind kind)
    {
        Assert.False(result.Ok, "The operation succeeded.");
        Assert.Equal(kind, result.Failure?.Kind);
        return result.Failure!;
    }
}
