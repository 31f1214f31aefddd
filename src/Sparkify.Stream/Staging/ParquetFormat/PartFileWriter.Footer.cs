using Parquet.Schema;
using static Sparkify.Stream.Staging.ParquetFormat.ParquetThrift;

namespace Sparkify.Stream.Staging.ParquetFormat;

/// <summary>The footer (FileMetaData) and what the writer keeps of the file's columns and row groups until it writes it.</summary>
internal sealed partial class PartFileWriter
{
    private void WriteFooter(ThriftCompactWriter t)
    {
        t.I32(FileMetaData.Version, 1);
        t.ListOfStructs(FileMetaData.Schema, _columns.Length + 1);   // the root, then the columns
        t.BeginListElement();
        t.String(SchemaElement.Name, "schema");
        t.I32(SchemaElement.NumChildren, _columns.Length);
        t.EndStruct();
        foreach (var column in _columns) column.WriteSchemaElement(t);
        t.I64(FileMetaData.NumRows, _rowGroups.Sum(g => (long)g.Rows));
        t.ListOfStructs(FileMetaData.RowGroups, _rowGroups.Count);
        for (var g = 0; g < _rowGroups.Count; g++)
        {
            var group = _rowGroups[g];
            t.BeginListElement();
            t.ListOfStructs(RowGroup.Columns, group.Columns.Count);
            foreach (var chunk in group.Columns) chunk.Write(t);
            t.I64(RowGroup.TotalByteSize, group.Columns.Sum(c => c.Uncompressed));
            t.I64(RowGroup.NumRows, group.Rows);
            t.I64(RowGroup.FileOffset, group.Offset);
            t.I64(RowGroup.TotalCompressedSize, group.Columns.Sum(c => c.Compressed));
            t.I16(RowGroup.Ordinal, checked((short)g));
            t.EndStruct();
        }
        t.String(FileMetaData.CreatedBy, CreatedBy);
        // Without column_orders min_value and max_value have no defined meaning: each column's is its type's order.
        t.ListOfStructs(FileMetaData.ColumnOrders, _columns.Length);
        foreach (var _ in _columns)
        {
            t.BeginListElement();
            t.BeginStruct(ColumnOrder.TypeOrder);   // TypeDefinedOrder: an empty struct
            t.EndStruct();
            t.EndStruct();
        }
        t.EndMessage();
    }

    private enum ColumnKind { Int32, Int64, Double, Text }

    private sealed record Column(string Name, ColumnKind Kind, bool Nullable)
    {
        public int PhysicalType => Kind switch
        {
            ColumnKind.Int32 => ParquetThrift.Type.Int32,
            ColumnKind.Int64 => ParquetThrift.Type.Int64,
            ColumnKind.Double => ParquetThrift.Type.Double,
            _ => ParquetThrift.Type.ByteArray,
        };

        public static Column Of(Field field)
        {
            if (field is not DataField data || data.IsArray)
                throw new NotSupportedException($"staging column '{field.Name}': only flat columns are supported");
            var type = data.ClrType;
            var kind =
                type == typeof(int) ? ColumnKind.Int32 :
                type == typeof(long) ? ColumnKind.Int64 :
                type == typeof(double) ? ColumnKind.Double :
                type == typeof(string) || type == typeof(ReadOnlyMemory<char>) ? ColumnKind.Text :
                throw new NotSupportedException($"staging column '{field.Name}': type {type.Name} is not supported");
            return new Column(data.Name, kind, data.IsNullable);
        }

        public void WriteSchemaElement(ThriftCompactWriter t)
        {
            t.BeginListElement();
            t.I32(SchemaElement.Type, PhysicalType);
            t.I32(SchemaElement.RepetitionType, Nullable ? FieldRepetitionType.Optional : FieldRepetitionType.Required);
            t.String(SchemaElement.Name, Name);
            switch (Kind)
            {
                case ColumnKind.Text:
                    t.I32(SchemaElement.ConvertedType, ConvertedType.Utf8);
                    t.BeginStruct(SchemaElement.LogicalType);
                    t.BeginStruct(LogicalType.String);   // StringType: an empty struct
                    t.EndStruct();
                    t.EndStruct();
                    break;
                case ColumnKind.Int32 or ColumnKind.Int64:
                    t.I32(SchemaElement.ConvertedType, Kind == ColumnKind.Int32 ? ConvertedType.Int32 : ConvertedType.Int64);
                    t.BeginStruct(SchemaElement.LogicalType);
                    t.BeginStruct(LogicalType.Integer);
                    t.I8(IntType.BitWidth, Kind == ColumnKind.Int32 ? (sbyte)32 : (sbyte)64);
                    t.Bool(IntType.IsSigned, true);
                    t.EndStruct();
                    t.EndStruct();
                    break;
            }
            t.EndStruct();
        }
    }

    private sealed class RowGroupMeta(int rows, long offset)
    {
        public int Rows { get; } = rows;
        public long Offset { get; } = offset;
        public List<ChunkMeta> Columns { get; } = [];
    }

    private sealed class ChunkMeta(Column column, int rows, long offset)
    {
        public long Offset { get; } = offset;
        public long DataOffset { get; set; }
        public long? DictionaryOffset { get; set; }
        public long Uncompressed { get; set; }
        public long Compressed { get; set; }
        public List<int> Encodings { get; } = [];
        public ColumnStatistics? Statistics { get; set; }

        public void Write(ThriftCompactWriter t)
        {
            t.BeginListElement();
            t.I64(ColumnChunk.FileOffset, Offset);      // deprecated; the chunk's start
            t.BeginStruct(ColumnChunk.MetaData);
            t.I32(ColumnMetaData.Type, column.PhysicalType);
            t.ListOfI32(ColumnMetaData.Encodings, [.. Encodings.Distinct()]);
            t.ListOfStrings(ColumnMetaData.PathInSchema, [column.Name]);
            t.I32(ColumnMetaData.Codec, CompressionCodec.Snappy);
            t.I64(ColumnMetaData.NumValues, rows);
            t.I64(ColumnMetaData.TotalUncompressedSize, Uncompressed);
            t.I64(ColumnMetaData.TotalCompressedSize, Compressed);
            t.I64(ColumnMetaData.DataPageOffset, DataOffset);
            if (DictionaryOffset is { } dictionary) t.I64(ColumnMetaData.DictionaryPageOffset, dictionary);
            Statistics?.Write(t, ColumnMetaData.Statistics);
            t.EndStruct();
            t.EndStruct();
        }
    }
}
