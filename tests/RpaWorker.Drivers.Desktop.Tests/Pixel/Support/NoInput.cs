using RpaWorker.Drivers.Desktop.Pixel;

namespace RpaWorker.Drivers.Desktop.Tests.Pixel.Support;

/// <summary>Input for a recorded screen: it goes nowhere, and says what it was asked to do.</summary>
public sealed class NoInput : IInputSink
{
    public List<string> Actions { get; } = [];

    public Task MoveAsync(int x, int y, CancellationToken cancellationToken)
    {
        Actions.Add($"move {x},{y}");
        return Task.CompletedTask;
    }

    public Task ClickAsync(int x, int y, int count, CancellationToken cancellationToken)
    {
        Actions.Add($"click {x},{y}");
        return Task.CompletedTask;
    }

    public Task<bool> TypeAsync(string text, CancellationToken cancellationToken)
    {
        Actions.Add("type");
        return Task.FromResult(true);
    }

    public Task<bool> PressAsync(string key, CancellationToken cancellationToken)
    {
        Actions.Add("press " + key);
        return Task.FromResult(true);
    }
}
