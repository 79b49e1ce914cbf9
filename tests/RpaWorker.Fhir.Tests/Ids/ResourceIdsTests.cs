using System.Text.RegularExpressions;

namespace RpaWorker.Fhir.Tests.Ids;

public sealed class ResourceIdsTests
{
    [Fact]
    public void For_SameInputs_GivesSameId()
    {
        Assert.Equal(
            ResourceIds.For("http://mock-ehr.example", "Condition", "problem-400001"),
            ResourceIds.For("http://mock-ehr.example", "Condition", "problem-400001"));
    }

    [Fact]
    public void For_KnownInputs_GivesStableValue()
    {
        // Ids are stored by sinks: changing the derivation would duplicate every resource already published.
        // Expected = sha256("23:http://mock-ehr.example\n9:Condition\n14:problem-400001\n"), computed independently.
        Assert.Equal(
            "b92f7fee63f82124a03e47f77e7517fcbfad961e865743d297d7792a0029b531",
            ResourceIds.For("http://mock-ehr.example", "Condition", "problem-400001"));
    }

    [Fact]
    public void For_DifferentSourceSystemTypeOrKey_GivesDifferentIds()
    {
        var ids = new[]
        {
            ResourceIds.For("http://ehr-a.example", "Condition", "400001"),
            ResourceIds.For("http://ehr-b.example", "Condition", "400001"),
            ResourceIds.For("http://ehr-a.example", "Observation", "400001"),
            ResourceIds.For("http://ehr-a.example", "Condition", "400002"),
            ResourceIds.For("a", "bc", "d"),
            ResourceIds.For("ab", "c", "d"),
        };

        Assert.Equal(ids.Length, ids.Distinct().Count());
    }

    [Fact]
    public void For_AnyInput_IsAValidFhirIdThatHidesTheKey()
    {
        var id = ResourceIds.For("http://mock-ehr.example", "Patient", "MRN-0012345 O'Brien");

        Assert.Matches(new Regex("^[A-Za-z0-9\\-\\.]{1,64}$"), id);
        Assert.DoesNotContain("0012345", id, StringComparison.Ordinal);
    }

    [Fact]
    public void For_EmptyKey_Throws()
    {
        Assert.Throws<ArgumentException>(() => ResourceIds.For("http://mock-ehr.example", "Patient", string.Empty));
    }
}
