namespace RpaWorker.MockEhr.Generate;

/// <summary>
/// Where <see cref="ChartGenerator"/> puts the awkward cases real data has. Every index is below
/// <see cref="FirstOrdinaryIndex"/>, so a generation of 12 or more charts holds all of them, whatever the
/// seed; the seed changes the details (which apostrophe name, which partial birth date form), not the index.
/// Indexes are positions in the generated sequence, not store ids.
/// </summary>
public static class GeneratorCases
{
    /// <summary>An ordinary chart whose patient has a middle name.</summary>
    public const int MiddleName = 0;

    /// <summary>Last name with an apostrophe ("O'Brien"); one problem has a partial onset date ("2009-03" or "2009").</summary>
    public const int ApostropheName = 1;

    /// <summary>The chart with a partial problem onset date (shares the apostrophe chart).</summary>
    public const int PartialOnsetDate = 1;

    /// <summary>Hyphenated last name ("Smith-Jones"), no middle name.</summary>
    public const int HyphenatedName = 2;

    /// <summary>The chart whose patient has no middle name (shares the hyphenated chart).</summary>
    public const int NoMiddleName = 2;

    /// <summary>Name with non-ASCII letters ("Núñez", "Nguyễn", "Søren", "Zoë"); the chart has 3 unsigned notes.</summary>
    public const int NonAsciiName = 3;

    /// <summary>The chart with 3 unsigned notes (shares the non-ASCII chart).</summary>
    public const int ThreeUnsignedNotes = 3;

    /// <summary>Birth date unknown (null); no allergies, medications, immunizations or problems recorded.</summary>
    public const int MissingBirthDate = 4;

    /// <summary>The chart with empty sections (shares the missing-birth-date chart).</summary>
    public const int EmptySections = 4;

    /// <summary>Partial birth date: a year and month ("1950-06") or a year only ("1948").</summary>
    public const int PartialBirthDate = 5;

    /// <summary>A medication whose sig is over 600 characters long.</summary>
    public const int LongSig = 6;

    /// <summary>
    /// Text that looks like HTML and must be shown escaped: an allergy reaction "&lt;b&gt;rash&lt;/b&gt; &amp; itching"
    /// and a medication sig containing "&lt;script&gt;alert('x')&lt;/script&gt;".
    /// </summary>
    public const int HtmlText = 7;

    /// <summary>The first of two patients named "SMITH, JOHN" (different MRNs and birth dates).</summary>
    public const int DuplicateNameFirst = 8;

    /// <summary>The second of two patients named "SMITH, JOHN".</summary>
    public const int DuplicateNameSecond = 9;

    /// <summary>Long lists for paging: 45 or more problems, 25 or more encounters, hundreds of results.</summary>
    public const int LongLists = 10;

    /// <summary>A deceased patient (deceased date set; nothing recorded after it).</summary>
    public const int Deceased = 11;

    /// <summary>The first index with no deliberate awkward case; generate at least this many to see them all.</summary>
    public const int FirstOrdinaryIndex = 12;

    /// <summary>One line for people: which awkward cases the first 12 generated charts hold.</summary>
    public const string Summary =
        "The first 12 generated patients cover: a middle name (#0), an apostrophe name and partial problem onset (#1), " +
        "a hyphenated name without middle name (#2), a non-ASCII name with 3 unsigned notes (#3), no birth date and empty " +
        "sections (#4), a partial birth date (#5), a 600+ character sig (#6), HTML-looking reaction and sig text (#7), " +
        "two 'SMITH, JOHN' with different MRNs (#8, #9), long lists for paging (#10) and a deceased patient (#11).";
}
