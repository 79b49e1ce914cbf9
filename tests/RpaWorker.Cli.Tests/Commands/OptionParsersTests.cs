using RpaWorker.Cli.Commands;

namespace RpaWorker.Cli.Tests.Commands;

public sealed class OptionParsersTests
{
    [Theory]
    [InlineData("250ms", 250)]
    [InlineData("2s", 2000)]
    [InlineData("1.5s", 1500)]
    [InlineData("15m", 900_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("00:00:30", 30_000)]
    public void TryParseDuration_WithUnit_GivesTheDuration(string text, int expectedMs)
    {
        Assert.True(OptionParsers.TryParseDuration(text, out var value));
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), value);
    }

    [Theory]
    [InlineData("30")]
    [InlineData("fast")]
    [InlineData("-2s")]
    [InlineData("")]
    public void TryParseDuration_WithoutAUnit_IsRefused(string text) =>
        Assert.False(OptionParsers.TryParseDuration(text, out _));
}
