using System.Collections.Concurrent;
using Sparkify.Stream.Staging;

namespace Sparkify.Stream.Pipeline;

/// <summary>
/// Reuses event batches between the parse workers and the writer: a batch's columns are ~1 MB, and allocating one per
/// chunk made the GC the run's biggest cost. Holds at most as many batches as the bounded pipeline has in flight.
/// </summary>
internal sealed class BatchPool(int rowsPerBatch)
{
    private readonly ConcurrentBag<EventBatch> _free = [];

    public EventBatch Rent() => _free.TryTake(out var batch) ? batch : new EventBatch(rowsPerBatch);

    public void Return(EventBatch batch)
    {
        batch.Clear();
        _free.Add(batch);
    }
}
