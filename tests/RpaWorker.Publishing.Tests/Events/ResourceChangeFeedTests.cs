using System.Collections.Concurrent;

namespace RpaWorker.Publishing.Tests.Events;

public sealed class ResourceChangeFeedTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static async Task<List<ResourceFeedEvent>> DrainAsync(ResourceFeedSubscription subscription)
    {
        var events = new List<ResourceFeedEvent>();
        using var timeout = new CancellationTokenSource(Patience);
        await foreach (var change in subscription.ReadAllAsync(timeout.Token))
        {
            events.Add(change);
        }

        return events;
    }

    [Fact]
    public async Task PublishAsync_TwoSubscribers_BothReceiveEveryResourceInOrder()
    {
        await using var sut = new ResourceChangeFeed();
        await using var first = sut.Subscribe();
        await using var second = sut.Subscribe();

        await sut.PublishAsync([Resources.Patient("p1"), Resources.Condition("c1")], default);
        await sut.PublishAsync([Resources.Condition("c2")], default);
        await sut.DisposeAsync();

        var expected = new[] { "Patient/p1", "Condition/c1", "Condition/c2" };
        Assert.Equal(expected, (await DrainAsync(first)).Select(e => $"{e.Resource.ResourceType}/{e.Resource.Id}"));
        Assert.Equal([1L, 2L, 3L], (await DrainAsync(second)).Select(e => e.Sequence));
    }

    [Fact]
    public async Task PublishAsync_SubscriberForOneType_SeesOnlyThatType()
    {
        await using var sut = new ResourceChangeFeed();
        await using var conditions = sut.Subscribe(["Condition"]);

        await sut.PublishAsync([Resources.Patient("p1"), Resources.Condition("c1")], default);
        await sut.DisposeAsync();

        Assert.Equal(["c1"], (await DrainAsync(conditions)).Select(e => e.Resource.Id));
    }

    [Fact]
    public async Task PublishAsync_SubscriberThatDoesNotRead_IsDroppedWithoutBlockingOthers()
    {
        await using var sut = new ResourceChangeFeed(capacity: 2);
        await using var slow = sut.Subscribe();
        await using var fast = sut.Subscribe();
        var fastEvents = new ConcurrentQueue<string>();
        var reading = Task.Run(async () =>
        {
            using var timeout = new CancellationTokenSource(Patience);
            await foreach (var change in fast.ReadAllAsync(timeout.Token))
            {
                fastEvents.Enqueue(change.Resource.Id);
            }
        });

        for (var i = 0; i < 5; i++)
        {
            // One at a time, waiting until the fast reader has it, so that only the slow one can fall behind.
            await sut.PublishAsync([Resources.Condition($"c{i}")], default);
            await WaitUntilAsync(() => fastEvents.Count == i + 1);
        }

        Assert.True(slow.Overflowed);
        Assert.False(fast.Overflowed);
        Assert.Equal(1, sut.SubscriberCount);
        Assert.Equal(["c0", "c1"], (await DrainAsync(slow)).Select(e => e.Resource.Id));
        await sut.DisposeAsync();
        await reading;
        Assert.Equal(["c0", "c1", "c2", "c3", "c4"], fastEvents);
    }

    [Fact]
    public async Task DisposeAsync_Subscription_UnsubscribesWithoutOverflow()
    {
        await using var sut = new ResourceChangeFeed();
        var subscription = sut.Subscribe();

        await subscription.DisposeAsync();
        await sut.PublishAsync([Resources.Patient("p1")], default);

        Assert.Equal(0, sut.SubscriberCount);
        Assert.False(subscription.Overflowed);
        Assert.Empty(await DrainAsync(subscription));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!condition())
        {
            await Task.Delay(5, timeout.Token);
        }
    }
}
