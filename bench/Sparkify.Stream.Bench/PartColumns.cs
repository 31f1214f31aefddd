using Sparkify.Stream.Staging.ParquetFormat;

namespace Sparkify.Stream.Bench;

/// <summary>The staging part writer's calls, so one sequence of them drives each writer under comparison.</summary>
public interface IPartColumns
{
    void BeginRowGroup(int rows);
    void EndRowGroup();
    void WriteInt32(ReadOnlySpan<int> values);
    void WriteInt32(ReadOnlySpan<int?> values);
    void WriteInt64(ReadOnlySpan<long> values);
    void WriteInt64(ReadOnlySpan<long?> values);
    void WriteDouble(ReadOnlySpan<double> values);
    void WriteDouble(ReadOnlySpan<double?> values);
    void WriteStrings(ReadOnlySpan<string?> values);
}

/// <summary>The hand-written writer (src/Sparkify.Stream/Staging/ParquetFormat) behind <see cref="IPartColumns"/>.</summary>
internal sealed class HandWrittenColumns(PartFileWriter w) : IPartColumns
{
    public void BeginRowGroup(int rows) => w.BeginRowGroup(rows);
    public void EndRowGroup() => w.EndRowGroup();
    public void WriteInt32(ReadOnlySpan<int> values) => w.WriteInt32(values);
    public void WriteInt32(ReadOnlySpan<int?> values) => w.WriteInt32(values);
    public void WriteInt64(ReadOnlySpan<long> values) => w.WriteInt64(values);
    public void WriteInt64(ReadOnlySpan<long?> values) => w.WriteInt64(values);
    public void WriteDouble(ReadOnlySpan<double> values) => w.WriteDouble(values);
    public void WriteDouble(ReadOnlySpan<double?> values) => w.WriteDouble(values);
    public void WriteStrings(ReadOnlySpan<string?> values) => w.WriteStrings(values);
}
