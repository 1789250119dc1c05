# W3: returns (db, dw), "bias first" in the order of the work; conv2d_backward unpacks it the same
# way, so conv2d_backward itself stays correct.
def conv2d_backward(dout, cache):
    cols, w, x_shape, stride, padding = cache
    F, _, KH, KW = w.shape
    db, dw = conv2d_backward_weights(dout, cache)
    dout_t = dout.transpose(1, 0, 2, 3).reshape(F, -1)
    dcols = (w.reshape(F, -1).T @ dout_t).T
    dx = col2im(dcols, x_shape, (KH, KW), stride, padding)
    return dx, dw, db


def conv2d_backward_weights(dout, cache):
    cols, w, x_shape, stride, padding = cache
    F = w.shape[0]
    dout_t = dout.transpose(1, 0, 2, 3).reshape(F, -1)
    db = dout_t.sum(axis=1)
    dw = (cols.T @ dout_t.T).T.reshape(w.shape)
    return db, dw
