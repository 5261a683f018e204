"""The PyTorch peer of the device check (dev.adjoint.cuda.check.Benchmarks): the same
benchmarks, in eager mode, on the same GPU. Prints "name value" lines the check reads.

    python3 torch_peer.py [--matmul 4096] [--device cuda]
"""
import argparse
import statistics
import time

import torch
import torch.nn.functional as F


def seconds(work, reps, sync):
    for _ in range(max(3, reps // 4)):
        work()
    sync()
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(reps):
            work()
        sync()
        runs.append((time.perf_counter() - start) / reps)
    return statistics.median(runs)


def linear(out_features, in_features, device):
    bound = 1 / in_features ** 0.5
    w = torch.empty(out_features, in_features, device=device).uniform_(-bound, bound)
    b = torch.empty(out_features, device=device).uniform_(-bound, bound)
    return [w.requires_grad_(), b.requires_grad_()]




def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--matmul", type=int, default=4096)
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    args = ap.parse_args()
    dev = torch.device(args.device)
    sync = torch.cuda.synchronize if dev.type == "cuda" else (lambda: None)
    name = torch.cuda.get_device_name(dev) if dev.type == "cuda" else "cpu"
    print(f"# PyTorch {torch.__version__} on {name}")
    torch.manual_seed(1)

    n = args.matmul
    a = torch.randn(n, n, device=dev)
    b = torch.randn(n, n, device=dev)
    flops = 2.0 * n ** 3
    torch.backends.cuda.matmul.allow_tf32 = False
    print("matmul_fp32_gflops", flops / 1e9 / seconds(lambda: torch.mm(a, b), 10, sync))
    torch.backends.cuda.matmul.allow_tf32 = True
    print("matmul_tf32_gflops", flops / 1e9 / seconds(lambda: torch.mm(a, b), 20, sync))
    torch.backends.cuda.matmul.allow_tf32 = False

    mlp = linear(256, 784, dev) + linear(256, 256, dev) + linear(10, 256, dev)
    x = torch.randn(128, 784, device=dev)
    y = torch.randint(0, 10, (128,), device=dev)

    def mlp_loss():
        h = F.relu(F.linear(x, mlp[0], mlp[1]))
        h = F.relu(F.linear(h, mlp[2], mlp[3]))
        return F.cross_entropy(F.linear(h, mlp[4], mlp[5]), y)

    mlp_opt = torch.optim.SGD(mlp, lr=0.01)

    def mlp_step():
        mlp_opt.zero_grad(set_to_none=True)
        loss = mlp_loss()
        loss.backward()
        mlp_opt.step()
        return loss

    print("mlp_step_ms", 1e3 * seconds(mlp_step, 200, sync))

    # cudnn may use TF32 for convolutions by default; Adjoint's conv2d is exact float32 here
    torch.backends.cudnn.allow_tf32 = False
    c1 = [torch.empty(16, 1, 3, 3, device=dev).uniform_(-1 / 3, 1 / 3).requires_grad_(),
          torch.empty(16, device=dev).uniform_(-1 / 3, 1 / 3).requires_grad_()]
    c2 = [torch.empty(32, 16, 3, 3, device=dev).uniform_(-1 / 12, 1 / 12).requires_grad_(),
          torch.empty(32, device=dev).uniform_(-1 / 12, 1 / 12).requires_grad_()]
    fc = linear(10, 32 * 7 * 7, dev)
    cnn = c1 + c2 + fc
    images = torch.randn(64, 1, 28, 28, device=dev)
    labels = torch.randint(0, 10, (64,), device=dev)

    cnn_opt = torch.optim.SGD(cnn, lr=0.01)

    def cnn_step():
        cnn_opt.zero_grad(set_to_none=True)
        h = F.max_pool2d(F.relu(F.conv2d(images, c1[0], c1[1], padding=1)), 2)
        h = F.max_pool2d(F.relu(F.conv2d(h, c2[0], c2[1], padding=1)), 2)
        loss = F.cross_entropy(F.linear(h.reshape(64, -1), fc[0], fc[1]), labels)
        loss.backward()
        cnn_opt.step()
        return loss

    print("cnn_step_ms", 1e3 * seconds(cnn_step, 50, sync))


if __name__ == "__main__":
    main()
