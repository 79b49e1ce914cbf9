using RpaWorker.Engine.Parsing;
using RpaWorker.Playbooks;
using RpaWorker.Playbooks.Model;

namespace RpaWorker.Engine.Tests.Parsing;

public sealed class ValueParsersTests
{
    private static readonly SourceLocation At = new("t.yaml", 1, 1);

    private static ParseOutcome Parse(string text, ParserKind kind, params string[] formats) =>
        ValueParsers.Parse(text, [new ParserDefinition { Kind = kind, Formats = formats, Location = At }], new Dictionary<string, ConceptMapDefinition>());

    [Theory]
    [InlineData("03/14/1987", "1987-03-14")]
    [InlineData("03/1987", "1987-03")]
    [InlineData("1987", "1987")]
    [InlineData("Mar 5 '19", "2019-03-05")]
    public void Date_ListedFormats_GiveIsoKeepingPartialDatesPartial(string text, string expected) =>
        Assert.Equal(expected, Parse(text, ParserKind.Date, "MM/dd/yyyy", "MM/yyyy", "yyyy", "MMM d ''yy").Value);

    [Theory]
    [InlineData("02/30/1990")]
    [InlineData("13/01/1990")]
    [InlineData("yesterday")]
    public void Date_ImpossibleOrGarbage_IsAnErrorThatDoesNotEchoTheText(string text)
    {
        var outcome = Parse(text, ParserKind.Date, "MM/dd/yyyy");

        Assert.False(outcome.Ok);
        Assert.DoesNotContain(text, outcome.Error);
        Assert.Contains("MM/dd/yyyy", outcome.Error);
    }

    [Theory]
    [InlineData("DOE, JOHN A", "DOE", "JOHN", "A")]
    [InlineData("O'BRIEN-SMITH, MÁIRE ANNE", "O'BRIEN-SMITH", "MÁIRE ANNE", "")]
    [InlineData("NGUYỄN, VAN B.", "NGUYỄN", "VAN", "B")]
    [InlineData("SMITH, JOHN", "SMITH", "JOHN", "")]
    public void Name_LastCommaFirst_ReadsATrailingLetterAsTheMiddleInitial(string text, string family, string given, string middle)
    {
        var name = (IReadOnlyDictionary<string, object?>)Parse(text, ParserKind.Name, "last_comma_first").Value!;

        Assert.Equal(family, name["family"]);
        Assert.Equal(given, name["given"]);
        Assert.Equal(middle, name["middle"]);
    }

    [Theory]
    [InlineData("Jun 18 '38", "1938-06-18")]
    [InlineData("Mar 5 '19", "2019-03-05")]
    [InlineData("Jan 2 '26", "2026-01-02")]
    public void Date_PastTwoDigitYear_IsNeverAfterTheCurrentYear(string text, string expected)
    {
        var parser = new ParserDefinition { Kind = ParserKind.Date, Formats = ["MMM d ''yy"], Past = true, Location = At };

        Assert.Equal(expected, ValueParsers.Parse(text, [parser], new Dictionary<string, ConceptMapDefinition>(), currentYear: 2026).Value);
    }

    [Fact]
    public void Quantity_NumberAndUnit_AreSeparated()
    {
        var q = (IReadOnlyDictionary<string, object?>)Parse("1,072.5 mg/dL", ParserKind.Quantity).Value!;

        Assert.Equal("1072.5", q["value"]);
        Assert.Equal("mg/dL", q["unit"]);
    }

    [Fact]
    public void Code_WordInConceptMap_GivesTheStandardCoding()
    {
        var maps = new Dictionary<string, ConceptMapDefinition>
        {
            ["smoking"] = new("smoking", "http://snomed.info/sct", new Dictionary<string, MappedCode>(StringComparer.OrdinalIgnoreCase)
            {
                ["Never smoker"] = new("266919005", null),
            }, At),
        };
        var parser = new ParserDefinition { Kind = ParserKind.Code, Map = "smoking", Location = At };

        var hit = (IReadOnlyDictionary<string, object?>)ValueParsers.Parse("never SMOKER", [parser], maps).Value!;
        var miss = ValueParsers.Parse("Pipe smoker", [parser], maps);

        Assert.Equal("266919005", hit["code"]);
        Assert.Equal("http://snomed.info/sct", hit["system"]);
        Assert.Equal("has no entry in concept map 'smoking'", miss.Error);
    }

    [Fact]
    public void Parse_EmptyCell_IsNullNotAnError() =>
        Assert.Equal(new ParseOutcome(null, null), Parse("   ", ParserKind.Date, "MM/dd/yyyy"));
}
