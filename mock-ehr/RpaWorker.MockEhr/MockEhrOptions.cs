namespace RpaWorker.MockEhr;

/// <summary>Which layout the mock EHR renders.</summary>
public enum MockEhrSkin
{
    /// <summary>The original layout the shipped playbooks are written for.</summary>
    V1,
    /// <summary>A "vendor upgrade": moved and renamed labels, reordered columns, changed ids, a section on another tab.</summary>
    V2,
}

/// <summary>Switches for the mock EHR's behaviour, faults and layout. Defaults give a well-behaved v1 EHR.</summary>
public sealed record MockEhrOptions
{
    /// <summary>Layout skin. Default <see cref="MockEhrSkin.V1"/>.</summary>
    public MockEhrSkin Skin { get; init; } = MockEhrSkin.V1;

    /// <summary>Login user name. Default "clinician".</summary>
    public string UserName { get; init; } = "clinician";

    /// <summary>Login password. Default "Passw0rd!".</summary>
    public string Password { get; init; } = "Passw0rd!";

    /// <summary>Base32 TOTP secret; when set, login asks for a 6-digit code as a second step. Default none.</summary>
    public string? TotpSecret { get; init; }

    /// <summary>A session idle longer than this expires. Default 15 minutes.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Fixed delay added to every page. Default none.</summary>
    public TimeSpan Latency { get; init; } = TimeSpan.Zero;

    /// <summary>Upper bound of an extra random delay per page (uniform from zero). Default none.</summary>
    public TimeSpan LatencyJitter { get; init; } = TimeSpan.Zero;

    /// <summary>Share of chart openings (0..1) that show a popup even without unsigned notes. Default 0.</summary>
    public double PopupRate { get; init; }

    /// <summary>Share of page requests (0..1) answered with HTTP 500. Default 0.</summary>
    public double ErrorRate { get; init; }

    /// <summary>Rows per page in the patient list and long chart lists. Default 20.</summary>
    public int PageSize { get; init; } = 20;

    /// <summary>Seed of the fault randomness, so a fault run can be repeated. Default 0 (random).</summary>
    public int FaultSeed { get; init; }

    /// <summary>
    /// Desktop version: the window's width in pixels. Default 1024, where wide lists scroll sideways (as on an old
    /// monitor); a screen reader (the pixel driver) sees only what is drawn, so it needs a window wide enough for every
    /// column (e.g. 1900 on a 1920-wide screen).
    /// </summary>
    public int WindowWidth { get; init; } = 1024;
}
