# W1: dw computed in the fast orientation (cols.T @ dout_t.T is (C*KH*KW, F)) but the final .T
# is forgotten before the reshape: same size, so the reshape to (F, C, KH, KW) succeeds silently.
def conv2d_backward_weights(dout, cache):
    cols, w, x_shape, stride, padding = cache
    F = w.shape[0]
    dout_t = dout.transpose(1, 0, 2, 3).reshape(F, -1)               # (F, N*Hout*Wout)
    db = dout_t.sum(axis=1)
    dw = (cols.T @ dout_t.T).reshape(w.shape)                        # forgot the .T
    return dw, db
