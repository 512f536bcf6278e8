"""LLVM operations numba does not offer, as numba intrinsics for the scan's compiled
accumulation (`subjects.accumulate`): float32 max/min that compile to plain vector
instructions, float16 conversion, eight-token column loads and stores, and write prefetch."""

from __future__ import annotations

from typing import Any

from llvmlite import ir
from numba import types
from numba.core import cgutils
from numba.extending import intrinsic


def _llvm_float_op(name: str) -> Any:
    """An LLVM float32 intrinsic of two operands as a numba function. numba's own max() and
    min() compile `m[i] = max(m[i], a)` to a store only where the value changes: a masked
    store, microcoded on AMD Zen (the statistics pass took 3.5x as long there)."""

    @intrinsic
    def operation(typingctx: Any, a: Any, b: Any) -> Any:
        if a != types.float32 or b != types.float32:
            return None

        def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
            f32 = ir.FloatType()
            function = cgutils.get_or_insert_function(
                builder.module, ir.FunctionType(f32, [f32, f32]), f"{name}.f32"
            )
            return builder.call(function, args)

        return types.float32(types.float32, types.float32), codegen

    return operation


# max and min that ignore a NaN operand (IEEE maxNum/minNum), compiled to vmaxps/vminps.
max32 = _llvm_float_op("llvm.maxnum")
min32 = _llvm_float_op("llvm.minnum")


@intrinsic
def half_bits(typingctx: Any, value: Any) -> Any:
    """float32 -> the bits of the nearest float16 (LLVM's fptrunc, one instruction with F16C):
    numba has no float16 type, so held activations are written as their uint16 bits."""
    if value != types.float32:
        return None

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        return builder.bitcast(builder.fptrunc(args[0], ir.HalfType()), ir.IntType(16))

    return types.uint16(types.float32), codegen


_I32 = ir.IntType(32)


def _item_pointer(context: Any, builder: Any, signature: Any, args: Any, count: int) -> Any:
    """The array (first argument) and the address of the item at the next `count` arguments."""
    array_type = signature.args[0]
    array = context.make_array(array_type)(context, builder, args[0])
    indices = [
        context.cast(builder, value, kind, types.intp)
        for value, kind in zip(args[1 : 1 + count], signature.args[1 : 1 + count], strict=True)
    ]
    address = cgutils.get_item_pointer(context, builder, array_type, array, indices)
    return array, builder.bitcast(address, ir.IntType(8).as_pointer())


@intrinsic
def column_half8(typingctx: Any, acts: Any, row: Any, token: Any, neuron: Any) -> Any:
    """acts[row, token:token+8, neuron] (float32, a strided column) as 8 float16 packed in
    two uint64: eight loads, one conversion (vcvtps2ph), kept in registers."""
    if not (isinstance(acts, types.Array) and acts.dtype == types.float32 and acts.ndim == 3):
        return None
    result = types.UniTuple(types.uint64, 2)

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        array, first = _item_pointer(context, builder, signature, args, 3)
        stride = cgutils.unpack_tuple(builder, array.strides, 3)[1]
        vector = ir.Constant(ir.VectorType(ir.FloatType(), 8), ir.Undefined)
        for i in range(8):
            address = builder.gep(first, [builder.mul(stride, ir.Constant(stride.type, i))])
            value = builder.load(builder.bitcast(address, ir.FloatType().as_pointer()), align=4)
            vector = builder.insert_element(vector, value, _I32(i))
        half = builder.fptrunc(vector, ir.VectorType(ir.HalfType(), 8))
        words = builder.bitcast(half, ir.VectorType(ir.IntType(64), 2))
        parts = [builder.extract_element(words, _I32(i)) for i in range(2)]
        return context.make_tuple(builder, result, parts)

    return result(acts, row, token, neuron), codegen


@intrinsic
def store_half8(
    typingctx: Any, held: Any, slot: Any, neuron: Any, token: Any, low: Any, high: Any
) -> Any:
    """Store 8 float16 from `column_half8` at held[slot, neuron, token:token+8] (uint16 bits,
    contiguous tokens): one 16-byte store instead of eight."""
    if not (isinstance(held, types.Array) and held.dtype == types.uint16 and held.ndim == 3):
        return None

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        _, address = _item_pointer(context, builder, signature, args, 3)
        kind = ir.VectorType(ir.IntType(64), 2)
        vector = ir.Constant(kind, ir.Undefined)
        for i, part in enumerate(args[4:]):
            vector = builder.insert_element(vector, part, _I32(i))
        builder.store(vector, builder.bitcast(address, kind.as_pointer()), align=2)
        return context.get_dummy_value()

    return types.none(held, slot, neuron, token, low, high), codegen


@intrinsic
def prefetch_for_write(typingctx: Any, held: Any, slot: Any, neuron: Any) -> Any:
    """Ask for the first two cache lines of held[slot, neuron, :] ahead of writing them."""
    if not (isinstance(held, types.Array) and held.ndim == 3):
        return None

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        _, address = _item_pointer(context, builder, signature, args, 2)
        i8p = ir.IntType(8).as_pointer()
        prefetch = cgutils.get_or_insert_function(
            builder.module, ir.FunctionType(ir.VoidType(), [i8p, _I32, _I32, _I32]),
            "llvm.prefetch.p0",
        )  # fmt: skip
        for line in (0, 64):
            line_address = builder.gep(address, [ir.Constant(ir.IntType(64), line)])
            builder.call(prefetch, [line_address, _I32(1), _I32(3), _I32(1)])  # write, keep
        return context.get_dummy_value()

    return types.none(held, slot, neuron), codegen
