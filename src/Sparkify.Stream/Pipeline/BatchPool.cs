using System.Collections.Concurrent;
using Sparkify.Stream.Records;

namespace Sparkify.Stream.Pipeline;

/// <summary>
/// Reuses event batches between the parse workers and the writer: a batch's columns are ~1 MB, and allocating one per
/// chunk made the GC the run's biggest cost. Holds at most as many batches as the bounded pipeline has in flight.
/// </summary>
internal sealed class BatchPool(int rowsPerBatch)
{
    private readonly ConcurrentBag<RecordBatch> _free = [];

    public RecordBatch Rent() => _free.TryTake(out var batch) ? batch : new RecordBatch(EventColumns.Table, rowsPerBatch);

    public void Return(RecordBatch batch)
    {
        batch.Clear();
        _free.Add(batch);
    }
}
