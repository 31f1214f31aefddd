using System.Buffers;
using System.Text;

namespace Sparkify.Stream.Staging.ParquetFormat;

/// <summary>
/// The Thrift compact protocol, write side only, as much of it as Parquet's page headers and footer need
/// (structs, i16/i32/i64, bool, binary/string, lists of i32/string/struct).
/// Spec: https://github.com/apache/thrift/blob/master/doc/specs/thrift-compact-protocol.md
/// </summary>
internal sealed class ThriftCompactWriter(IBufferWriter<byte> output)
{
    private const byte BoolTrue = 1, BoolFalse = 2, TypeByte = 3, TypeI16 = 4, TypeI32 = 5, TypeI64 = 6, TypeBinary = 8, TypeList = 9, TypeStruct = 12;

    private readonly Stack<short> _outer = new();
    private short _lastField;

    public void I32(short field, int value)
    {
        FieldHeader(field, TypeI32);
        VarInt(ZigZag(value));
    }

    public void I64(short field, long value)
    {
        FieldHeader(field, TypeI64);
        VarInt(ZigZag(value));
    }

    public void I16(short field, short value)
    {
        FieldHeader(field, TypeI16);
        VarInt(ZigZag(value));
    }

    public void I8(short field, sbyte value)
    {
        FieldHeader(field, TypeByte);
        WriteByte((byte)value);
    }

    public void Bool(short field, bool value) => FieldHeader(field, value ? BoolTrue : BoolFalse);

    public void String(short field, string value)
    {
        FieldHeader(field, TypeBinary);
        var bytes = Encoding.UTF8.GetByteCount(value);
        VarInt((ulong)bytes);
        var span = output.GetSpan(bytes);
        Encoding.UTF8.GetBytes(value, span);
        output.Advance(bytes);
    }

    public void Binary(short field, ReadOnlySpan<byte> value)
    {
        FieldHeader(field, TypeBinary);
        VarInt((ulong)value.Length);
        value.CopyTo(output.GetSpan(value.Length));
        output.Advance(value.Length);
    }

    /// <summary>Starts a struct-typed field; end it with <see cref="EndStruct"/>.</summary>
    public void BeginStruct(short field)
    {
        FieldHeader(field, TypeStruct);
        _outer.Push(_lastField);
        _lastField = 0;
    }

    /// <summary>Starts a struct that is an element of a list (no field header).</summary>
    public void BeginListElement()
    {
        _outer.Push(_lastField);
        _lastField = 0;
    }

    public void EndStruct()
    {
        WriteByte(0); // field stop
        _lastField = _outer.Pop();
    }

    /// <summary>A top-level struct's stop byte (the message itself has no field header).</summary>
    public void EndMessage() => WriteByte(0);

    public void ListOfStructs(short field, int count) => ListHeader(field, TypeStruct, count);

    public void ListOfI32(short field, ReadOnlySpan<int> values)
    {
        ListHeader(field, TypeI32, values.Length);
        foreach (var v in values) VarInt(ZigZag(v));
    }

    public void ListOfStrings(short field, ReadOnlySpan<string> values)
    {
        ListHeader(field, TypeBinary, values.Length);
        foreach (var v in values)
        {
            var bytes = Encoding.UTF8.GetByteCount(v);
            VarInt((ulong)bytes);
            var span = output.GetSpan(bytes);
            Encoding.UTF8.GetBytes(v, span);
            output.Advance(bytes);
        }
    }

    private void ListHeader(short field, byte elementType, int count)
    {
        FieldHeader(field, TypeList);
        if (count < 15) WriteByte((byte)((count << 4) | elementType));
        else
        {
            WriteByte((byte)(0xF0 | elementType));
            VarInt((ulong)count);
        }
    }

    private void FieldHeader(short field, byte type)
    {
        var delta = field - _lastField;
        if (delta is > 0 and <= 15) WriteByte((byte)((delta << 4) | type));
        else
        {
            WriteByte(type);
            VarInt(ZigZag(field));
        }
        _lastField = field;
    }

    private static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    private void VarInt(ulong value)
    {
        var span = output.GetSpan(10);
        var i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[i++] = (byte)value;
        output.Advance(i);
    }

    private void WriteByte(byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }
}
