namespace Sparkify.Stream.Staging.ParquetFormat;

/// <summary>
/// The field ids and enum values of parquet-format's Thrift definitions that the writer emits, named as in
/// <c>src/main/thrift/parquet.thrift</c> (apache/parquet-format). Only what this writer writes is listed; a field
/// id is a struct's own numbering, so each struct has its own class.
/// </summary>
internal static class ParquetThrift
{
    /// <summary><c>struct FileMetaData</c>: the footer.</summary>
    public static class FileMetaData
    {
        public const short Version = 1, Schema = 2, NumRows = 3, RowGroups = 4, CreatedBy = 6, ColumnOrders = 7;
    }

    /// <summary><c>struct SchemaElement</c>.</summary>
    public static class SchemaElement
    {
        public const short Type = 1, RepetitionType = 3, Name = 4, NumChildren = 5, ConvertedType = 6, LogicalType = 10;
    }

    /// <summary><c>union LogicalType</c>: the member set names the type (an empty struct, or its parameters).</summary>
    public static class LogicalType
    {
        public const short String = 1, Integer = 10;
    }

    /// <summary><c>struct IntType</c> (LogicalType.INTEGER).</summary>
    public static class IntType
    {
        public const short BitWidth = 1, IsSigned = 2;
    }

    /// <summary><c>struct RowGroup</c>.</summary>
    public static class RowGroup
    {
        public const short Columns = 1, TotalByteSize = 2, NumRows = 3, FileOffset = 5, TotalCompressedSize = 6, Ordinal = 7;
    }

    /// <summary><c>struct ColumnChunk</c>.</summary>
    public static class ColumnChunk
    {
        public const short FileOffset = 2, MetaData = 3;
    }

    /// <summary><c>struct ColumnMetaData</c>.</summary>
    public static class ColumnMetaData
    {
        public const short Type = 1, Encodings = 2, PathInSchema = 3, Codec = 4, NumValues = 5, TotalUncompressedSize = 6,
            TotalCompressedSize = 7, DataPageOffset = 9, DictionaryPageOffset = 11, Statistics = 12;
    }

    /// <summary><c>struct Statistics</c>. The deprecated <c>max</c> (1) and <c>min</c> (2) are not written.</summary>
    public static class Statistics
    {
        public const short NullCount = 3, MaxValue = 5, MinValue = 6, IsMaxValueExact = 7, IsMinValueExact = 8, NanCount = 9;
    }

    /// <summary><c>union ColumnOrder</c>: FileMetaData.column_orders, one per leaf column.</summary>
    public static class ColumnOrder
    {
        /// <summary><c>TypeDefinedOrder TYPE_ORDER</c> (an empty struct): the order of the column's logical or physical type.</summary>
        public const short TypeOrder = 1;
    }

    /// <summary><c>struct PageHeader</c>.</summary>
    public static class PageHeader
    {
        public const short Type = 1, UncompressedPageSize = 2, CompressedPageSize = 3, DataPageHeader = 5,
            DictionaryPageHeader = 7;
    }

    /// <summary><c>struct DataPageHeader</c> (v1 data pages).</summary>
    public static class DataPageHeader
    {
        public const short NumValues = 1, Encoding = 2, DefinitionLevelEncoding = 3, RepetitionLevelEncoding = 4;
    }

    /// <summary><c>struct DictionaryPageHeader</c>.</summary>
    public static class DictionaryPageHeader
    {
        public const short NumValues = 1, Encoding = 2;
    }

    /// <summary><c>enum Type</c>: physical types.</summary>
    public static class Type
    {
        public const int Int32 = 1, Int64 = 2, Double = 5, ByteArray = 6;
    }

    /// <summary><c>enum ConvertedType</c> (deprecated, still written beside the logical type for old readers).</summary>
    public static class ConvertedType
    {
        public const int Utf8 = 0, Int32 = 17, Int64 = 18;
    }

    /// <summary><c>enum FieldRepetitionType</c>.</summary>
    public static class FieldRepetitionType
    {
        public const int Required = 0, Optional = 1;
    }

    /// <summary><c>enum Encoding</c>.</summary>
    public static class Encoding
    {
        public const int Plain = 0, PlainDictionary = 2, Rle = 3;
    }

    /// <summary><c>enum CompressionCodec</c>.</summary>
    public static class CompressionCodec
    {
        public const int Snappy = 1;
    }

    /// <summary><c>enum PageType</c>.</summary>
    public static class PageType
    {
        public const int DataPage = 0, DictionaryPage = 2;
    }
}
