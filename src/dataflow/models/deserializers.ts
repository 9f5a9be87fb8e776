/** Deserialisers that run code: pickle and friends, unsafe YAML loaders, ML checkpoint loaders. */
import type { FlowModel } from './types.js';

export const deserializersModel: FlowModel = {
  name: 'deserialisers (pickle, dill, marshal, shelve, jsonpickle, PyYAML, torch, joblib, numpy)',
  sinks: [
    { rule: 'PW109', qnames: ['pickle.loads', 'pickle.load', 'pickle.Unpickler', 'cPickle.loads', 'cPickle.load', '_pickle.loads', 'dill.loads', 'dill.load', 'marshal.loads', 'marshal.load', 'jsonpickle.decode', 'jsonpickle.loads', 'cloudpickle.loads', 'cloudpickle.load', 'pandas.read_pickle', 'joblib.load', 'torch.load', 'keras.models.load_model', 'shelve.Shelf'], args: [0, 'data', 'file', 'string', 's', 'f', 'filename', 'filepath_or_buffer', 'path'], description: '`pickle.loads(data)`, `dill`, `marshal`, `jsonpickle.decode`, `torch.load`, `joblib.load`, `pandas.read_pickle`' },
    { rule: 'PW109', qnames: ['yaml.load', 'yaml.load_all'], args: [0, 'stream'], when: 'unsafe-yaml-loader', description: 'PyYAML `yaml.load(data)` with an unsafe loader' },
    { rule: 'PW109', qnames: ['yaml.unsafe_load', 'yaml.unsafe_load_all', 'yaml.full_load', 'yaml.full_load_all', 'ruamel.yaml.load'], args: [0, 'stream'], description: 'PyYAML `yaml.unsafe_load(data)`' },
    { rule: 'PW109', qnames: ['numpy.load'], args: [0, 'file'], when: 'allow-pickle', description: '`numpy.load(file, allow_pickle=True)`' },
  ],
  sanitizers: [
    { qnames: ['hmac.compare_digest'], clears: 'all', description: 'a yes/no' },
  ],
};
