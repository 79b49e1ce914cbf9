using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace RpaWorker.Publishing;

/// <summary>A published resource as the change feed delivers it.</summary>
/// <param name="Sequence">Increases by one per resource the feed has broadcast since it was created (from 1).</param>
/// <param name="Resource">The resource as it was published.</param>
public sealed record ResourceFeedEvent(long Sequence, PublishedResource Resource);

/// <summary>
/// A sink that broadcasts every published resource to the current subscribers (the FHIR surface's event stream). It
/// keeps nothing: a subscriber sees what is published while it is subscribed.
/// </summary>
/// <remarks>
/// <para>
/// Publishing never waits for a subscriber. Each subscriber has a bounded buffer of <see cref="Capacity"/> events; a
/// subscriber whose buffer is full when a resource is published is dropped: its stream ends after the events it had
/// buffered and <see cref="ResourceFeedSubscription.Overflowed"/> becomes true, so it knows to catch up from the store
/// (an export since the last change it saw) instead of silently missing changes.
/// </para>
/// <para>
/// The feed announces what was published, not what changed: a republished, unchanged resource is broadcast again.
/// Put it after the store in a <see cref="CompositeSink"/> so that a subscriber that reads the store on an event finds
/// the resource there. Disposing the feed ends every subscription; a disposed feed ignores later batches.
/// </para>
/// </remarks>
public sealed class ResourceChangeFeed : IResourceSink
{
    /// <summary>The default per-subscriber buffer, in events.</summary>
    public const int DefaultCapacity = 1024;

    private readonly Lock _gate = new();
    private List<ResourceFeedSubscription> _subscribers = [];
    private long _sequence;
    private bool _disposed;

    /// <summary>Creates a feed whose subscribers each buffer up to <paramref name="capacity"/> events.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is less than 1.</exception>
    public ResourceChangeFeed(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
    }

    /// <summary>Each subscriber's buffer, in events.</summary>
    public int Capacity { get; }

    /// <inheritdoc />
    public string Name => "events";

    /// <summary>How many subscriptions are live.</summary>
    public int SubscriberCount
    {
        get
        {
            lock (_gate)
            {
                return _subscribers.Count;
            }
        }
    }

    /// <summary>
    /// Subscribes to resources of <paramref name="resourceTypes"/> (every type when null or empty). Every resource
    /// published after this returns is delivered, unless the subscriber falls behind (see the remarks on the class).
    /// </summary>
    /// <exception cref="ObjectDisposedException">The feed was disposed.</exception>
    public ResourceFeedSubscription Subscribe(IReadOnlyCollection<string>? resourceTypes = null)
    {
        var subscription = new ResourceFeedSubscription(this, Capacity, resourceTypes);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _subscribers = [.. _subscribers, subscription];
        }

        return subscription;
    }

    /// <summary>Broadcasts the batch to every subscriber, dropping those whose buffer is full. Never waits.</summary>
    /// <exception cref="RpaWorkerException">A resource has an invalid type or id (see <see cref="IResourceSink"/>).</exception>
    public Task PublishAsync(IReadOnlyList<PublishedResource> batch, CancellationToken cancellationToken)
    {
        var resources = PublishedBatch.Normalize(batch);
        List<ResourceFeedSubscription> subscribers;
        lock (_gate)
        {
            subscribers = _subscribers;
        }

        foreach (var resource in resources)
        {
            var change = new ResourceFeedEvent(Interlocked.Increment(ref _sequence), resource);
            foreach (var subscriber in subscribers)
            {
                if (!subscriber.TryDeliver(change))
                {
                    Remove(subscriber);
                }
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Ends every subscription (their streams end after what they had buffered).</summary>
    public ValueTask DisposeAsync()
    {
        List<ResourceFeedSubscription> subscribers;
        lock (_gate)
        {
            _disposed = true;
            subscribers = _subscribers;
            _subscribers = [];
        }

        foreach (var subscriber in subscribers)
        {
            subscriber.Complete(overflowed: false);
        }

        return ValueTask.CompletedTask;
    }

    internal void Remove(ResourceFeedSubscription subscription)
    {
        lock (_gate)
        {
            if (_subscribers.Contains(subscription))
            {
                _subscribers = [.. _subscribers.Where(s => !ReferenceEquals(s, subscription))];
            }
        }
    }
}

/// <summary>One subscriber of a <see cref="ResourceChangeFeed"/>. Dispose it to unsubscribe.</summary>
public sealed class ResourceFeedSubscription : IAsyncDisposable
{
    private readonly ResourceChangeFeed _feed;
    private readonly Channel<ResourceFeedEvent> _channel;
    private readonly HashSet<string>? _types;
    private int _overflowed;
    private int _completed;

    internal ResourceFeedSubscription(ResourceChangeFeed feed, int capacity, IReadOnlyCollection<string>? types)
    {
        _feed = feed;
        _types = types is { Count: > 0 } ? new HashSet<string>(types, StringComparer.Ordinal) : null;
        _channel = Channel.CreateBounded<ResourceFeedEvent>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        });
    }

    /// <summary>True once the feed dropped this subscriber because its buffer was full; changes were missed.</summary>
    public bool Overflowed => Volatile.Read(ref _overflowed) == 1;

    /// <summary>
    /// The events, as they are published. Ends when the subscriber is dropped (see <see cref="Overflowed"/>), the
    /// subscription is disposed or the feed is disposed; cancelling <paramref name="cancellationToken"/> ends it with
    /// <see cref="OperationCanceledException"/>. Enumerate once.
    /// </summary>
    public async IAsyncEnumerable<ResourceFeedEvent> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var change in _channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return change;
        }
    }

    /// <summary>Unsubscribes; the stream ends after what was buffered.</summary>
    public ValueTask DisposeAsync()
    {
        _feed.Remove(this);
        Complete(overflowed: false);
        return ValueTask.CompletedTask;
    }

    /// <summary>Buffers <paramref name="change"/> when it is of a subscribed type; false when the buffer is full (the subscription is then over).</summary>
    internal bool TryDeliver(ResourceFeedEvent change)
    {
        if (_types is not null && !_types.Contains(change.Resource.ResourceType))
        {
            return true;
        }

        if (_channel.Writer.TryWrite(change))
        {
            return true;
        }

        // A subscription that was just disposed also refuses writes; that is not falling behind.
        Complete(overflowed: Volatile.Read(ref _completed) == 0);
        return false;
    }

    internal void Complete(bool overflowed)
    {
        if (Interlocked.Exchange(ref _completed, 1) == 1)
        {
            return;
        }

        if (overflowed)
        {
            Interlocked.Exchange(ref _overflowed, 1);
        }

        _channel.Writer.TryComplete();
    }
}
