"""Read a PyTorch checkpoint (a state_dict of tensors) into numpy arrays without importing torch.

PyTorch wheels on PyPI pull in several GB of CUDA libraries; converting one small CNN does not need them.
Both on-disk formats are handled: the zip archive (torch >= 1.6) and the legacy stream (magic number,
protocol version, sys info, the object pickle, the storage key list, then each storage as an int64 element
count followed by its raw little-endian bytes) that torch 1.5 wrote and that the EfficientNet-Lite0 wheel
ships. Only tensors and plain containers are accepted: any other global in the pickle raises, so reading a
checkpoint never executes code from it.
"""

from __future__ import annotations

import collections
import io
import pickle
import struct
import zipfile
from dataclasses import dataclass, field

import numpy as np

LEGACY_MAGIC = 0x1950A86A20F9469CFC6C

_STORAGE_DTYPES = {
    "FloatStorage": np.float32,
    "DoubleStorage": np.float64,
    "HalfStorage": np.float16,
    "LongStorage": np.int64,
    "IntStorage": np.int32,
    "ShortStorage": np.int16,
    "CharStorage": np.int8,
    "ByteStorage": np.uint8,
    "BoolStorage": np.bool_,
}


@dataclass
class _Storage:
    dtype: type
    numel: int
    data: np.ndarray | None = None


@dataclass
class _PendingTensor:
    storage: _Storage
    offset: int
    size: tuple[int, ...]
    stride: tuple[int, ...]
    extra: dict = field(default_factory=dict)

    def materialize(self) -> np.ndarray:
        assert self.storage.data is not None, "storage data was never read"
        itemsize = self.storage.data.itemsize
        if len(self.size) == 0:
            return np.array(self.storage.data[self.offset])
        view = np.lib.stride_tricks.as_strided(
            self.storage.data[self.offset :],
            shape=self.size,
            strides=tuple(s * itemsize for s in self.stride),
            writeable=False,
        )
        return np.ascontiguousarray(view)


def _rebuild_tensor_v2(storage, storage_offset, size, stride, *_rest):
    return _PendingTensor(storage, storage_offset, tuple(size), tuple(stride))


class _DtypeMarker:
    def __init__(self, name: str):
        self.dtype = _STORAGE_DTYPES[name]


class _SafeUnpickler(pickle.Unpickler):
    def __init__(self, file, storages: dict[str, _Storage], storage_reader=None):
        super().__init__(file)
        self._storages = storages
        self._storage_reader = storage_reader

    def find_class(self, module, name):
        if module == "collections" and name == "OrderedDict":
            return collections.OrderedDict
        if module == "torch._utils" and name == "_rebuild_tensor_v2":
            return _rebuild_tensor_v2
        if module == "torch" and name in _STORAGE_DTYPES:
            return _DtypeMarker(name)
        raise pickle.UnpicklingError(f"refusing global {module}.{name} in a checkpoint")

    def persistent_load(self, pid):
        kind, *data = pid
        if kind != "storage":
            raise pickle.UnpicklingError(f"unknown persistent id {kind!r}")
        if len(data) == 5:  # legacy: storage_type, key, location, numel, view_metadata
            storage_type, key, _location, numel, view_metadata = data
            if view_metadata is not None:
                raise pickle.UnpicklingError("storage views are not supported")
        else:  # zip: storage_type, key, location, numel
            storage_type, key, _location, numel = data
        if key not in self._storages:
            self._storages[key] = _Storage(storage_type.dtype, int(numel))
            if self._storage_reader is not None:
                self._storages[key].data = self._storage_reader(key, storage_type.dtype)
        return self._storages[key]


def _collect(obj):
    if isinstance(obj, _PendingTensor):
        return obj.materialize()
    if isinstance(obj, dict):
        return collections.OrderedDict((k, _collect(v)) for k, v in obj.items())
    return obj


def load_state_dict(path: str) -> "collections.OrderedDict[str, np.ndarray]":
    storages: dict[str, _Storage] = {}
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            prefix = names[0].split("/")[0]

            def read_storage(key: str, dtype) -> np.ndarray:
                return np.frombuffer(archive.read(f"{prefix}/data/{key}"), dtype=np.dtype(dtype).newbyteorder("<"))

            result = _SafeUnpickler(io.BytesIO(archive.read(f"{prefix}/data.pkl")), storages, read_storage).load()
    else:
        with open(path, "rb") as f:
            if pickle.load(f) != LEGACY_MAGIC:
                raise ValueError(f"{path} is not a PyTorch checkpoint")
            pickle.load(f)  # protocol version
            sys_info = pickle.load(f)
            if not sys_info.get("little_endian", True):
                raise ValueError("big-endian checkpoints are not supported")
            result = _SafeUnpickler(f, storages).load()
            keys = pickle.load(f)
            for key in keys:
                storage = storages[key]
                (numel,) = struct.unpack("<q", f.read(8))
                if numel != storage.numel:
                    raise ValueError(f"storage {key}: expected {storage.numel} elements, file has {numel}")
                dtype = np.dtype(storage.dtype).newbyteorder("<")
                storage.data = np.frombuffer(f.read(numel * dtype.itemsize), dtype=dtype)
    state = _collect(result)
    if isinstance(state, dict) and "state_dict" in state and isinstance(state["state_dict"], dict):
        state = state["state_dict"]
    return state
